#!/usr/bin/env python3
"""bench/feedparser-bench.py FILE… — Python's feedparser over the bench/feeds corpus in one process:
reads every file first, times only parsing, prints the same JSON as `bench-feeds parse`.
feedparser 6.0 (Debian 12) does not read JSON Feed; *.json files are timed with json.loads
instead, which is far cheaper than a feed parser, and reported apart ("json")."""
import json
import resource
import sys
import time

import feedparser

bodies = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        bodies.append((path.endswith(".json"), f.read()))

result = {}
for kind in ("xml", "json"):
    part = [b for is_json, b in bodies if is_json == (kind == "json")]
    entries = failed = 0
    start = time.perf_counter()
    for body in part:
        if kind == "json":
            entries += len(json.loads(body).get("items", []))
            continue
        d = feedparser.parse(body, response_headers={"content-location": "https://example.org/feed"})
        if not d.get("version"):
            failed += 1
        entries += len(d.entries)
    seconds = time.perf_counter() - start
    size = sum(len(b) for b in part)
    result[kind] = {"files": len(part), "bytes": size, "entries": entries,
                    "seconds": round(seconds, 3),
                    "mb_per_second": round(size / 1e6 / seconds, 3) if seconds else 0,
                    "failed": failed}
result["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result["feedparser"] = feedparser.__version__
print(json.dumps(result))
