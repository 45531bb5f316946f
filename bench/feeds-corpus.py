#!/usr/bin/env python3
"""bench/feeds-corpus.py DIR — writes the bench/feeds corpus: RSS 0.91, RSS 1.0, RSS 2.0, Atom 1.0
and JSON Feed 1.1 files from about 1 KB to 5 MB, 20 000 entries in all, with HTML content shaped
like real articles. Deterministic (fixed seed), so runs compare."""
import json
import os
import random
import sys
from xml.sax.saxutils import escape

rng = random.Random(20231)
WORDS = ("the council said on monday that its budget for next year would include new money for "
         "schools roads and the harbour while critics argued the plan ignored rising costs of "
         "housing energy transport and care for older residents across the region").split()


def sentence():
    n = rng.randint(8, 22)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def html(target):
    parts = []
    size = 0
    while size < target:
        kind = rng.random()
        if kind < 0.7:
            p = " ".join(sentence() for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.4:
                p = p.replace(" the ", ' <a href="https://example.org/story/%d">the</a> ' % rng.randint(1, 99999), 1)
            if rng.random() < 0.3:
                p = p.replace(" said ", " <em>said</em> ", 1)
            frag = "<p>%s</p>" % p
        elif kind < 0.8:
            frag = "<h2>%s</h2>" % sentence()
        elif kind < 0.9:
            frag = ('<figure><img src="https://cdn.example.org/img/%d.jpg" alt="%s" width="640" '
                    'height="360"><figcaption>%s</figcaption></figure>' % (rng.randint(1, 99999), sentence(), sentence()))
        else:
            frag = "<ul>%s</ul>" % "".join("<li>%s</li>" % sentence() for _ in range(rng.randint(2, 5)))
        parts.append(frag)
        size += len(frag)
    return "".join(parts)


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def entry(i, target):
    d = 1 + i % 28
    h = i % 24
    return {
        "title": sentence()[:80],
        "link": "https://news.example.org/2023/%02d/story-%d" % (1 + i % 12, i),
        "id": "urn:uuid:%08x-0000-4000-8000-%012x" % (i, i),
        "rfc822": "%s, %02d %s 2023 %02d:15:00 +0000" % (DAYS[i % 7], d, MONTHS[i % 12], h),
        "iso": "2023-%02d-%02dT%02d:15:00Z" % (1 + i % 12, d, h),
        "author": "Reporter %d" % (i % 50),
        "summary": sentence() + " " + sentence(),
        "html": html(target),
    }


def rss091(es):
    items = "".join("<item><title>%s</title><link>%s</link><description>%s</description></item>\n"
                    % (escape(e["title"]), e["link"], escape(e["html"])) for e in es)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="0.91"><channel><title>Bench 0.91</title>'
            '<link>https://news.example.org/</link><description>Bench</description><language>en</language>\n%s'
            '</channel></rss>\n' % items)


def rss10(es):
    seq = "".join('<rdf:li rdf:resource="%s"/>' % e["link"] for e in es)
    items = "".join('<item rdf:about="%s"><title>%s</title><link>%s</link><dc:date>%s</dc:date>'
                    '<dc:creator>%s</dc:creator><description>%s</description>'
                    '<content:encoded><![CDATA[%s]]></content:encoded></item>\n'
                    % (e["link"], escape(e["title"]), e["link"], e["iso"], e["author"],
                       escape(e["summary"]), e["html"]) for e in es)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
            '<channel rdf:about="https://news.example.org/rss"><title>Bench 1.0</title><link>https://news.example.org/</link>'
            '<description>Bench</description><items><rdf:Seq>%s</rdf:Seq></items></channel>\n%s</rdf:RDF>\n' % (seq, items))


def rss20(es):
    items = "".join('<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s</guid>'
                    '<pubDate>%s</pubDate><dc:creator>%s</dc:creator><category>News</category>'
                    '<description>%s</description><content:encoded><![CDATA[%s]]></content:encoded>'
                    '<enclosure url="https://cdn.example.org/a/%s.mp3" length="1234" type="audio/mpeg"/></item>\n'
                    % (escape(e["title"]), e["link"], e["id"], e["rfc822"], e["author"],
                       escape(e["summary"]), e["html"], e["id"][9:17]) for e in es)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench 2.0</title>'
            '<link>https://news.example.org/</link><description>Bench</description>'
            '<lastBuildDate>Mon, 02 Jan 2023 10:00:00 +0000</lastBuildDate>\n%s</channel></rss>\n' % items)


def atom(es):
    items = "".join('<entry><title type="html">%s</title><link rel="alternate" href="%s"/><id>%s</id>'
                    '<updated>%s</updated><published>%s</published><author><name>%s</name></author>'
                    '<category term="news"/><summary>%s</summary><content type="html">%s</content></entry>\n'
                    % (escape(e["title"]), e["link"], e["id"], e["iso"], e["iso"], e["author"],
                       escape(e["summary"]), escape(e["html"])) for e in es)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.org/">'
            '<title>Bench Atom</title><id>urn:bench:atom</id><updated>2023-01-02T10:00:00Z</updated>'
            '<link rel="self" href="https://news.example.org/atom.xml"/>\n%s</feed>\n' % items)


def jsonfeed(es):
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Bench JSON",
        "home_page_url": "https://news.example.org/", "feed_url": "https://news.example.org/feed.json",
        "items": [{"id": e["id"], "url": e["link"], "title": e["title"], "content_html": e["html"],
                   "summary": e["summary"], "date_published": e["iso"],
                   "authors": [{"name": e["author"]}], "tags": ["news"]} for e in es],
    }, ensure_ascii=False)


FORMATS = [("rss091", "xml", rss091), ("rss10", "rdf", rss10), ("rss20", "xml", rss20),
           ("atom10", "xml", atom), ("json11", "json", jsonfeed)]
# (entries, bytes of HTML per entry): 1 KB files up to one of about 5 MB per format, 4 000 entries each
PLAN = [(1, 500)] * 30 + [(2, 600)] * 20 + [(5, 1000)] * 20 + [(10, 1500)] * 15 + [(25, 1500)] * 10 \
    + [(50, 1800)] * 6 + [(100, 2000)] * 4 + [(250, 2000)] * 2 + [(2000, 1500)]

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
total = 0
for name, ext, writer in FORMATS:
    n = 0
    plan = list(PLAN)
    left = 4000 - sum(c for c, _ in plan)
    plan[-1] = (plan[-1][0] + left, plan[-1][1])
    for k, (count, size) in enumerate(plan):
        es = [entry(total + j, size) for j in range(count)]
        total += count
        with open(os.path.join(out, "%s-%03d.%s" % (name, k, ext)), "w", encoding="utf-8") as f:
            f.write(writer(es))
print(total)
