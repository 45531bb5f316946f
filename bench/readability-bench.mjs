// Times Readability.js 0.6 with jsdom over the same pages as bench-extract, in one Node process.
// node readability-bench.mjs [--rounds N] PAGE…   (modules from bench/.peers/node_modules)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.env.PEERS_DIR + '/package.json');
const { JSDOM, VirtualConsole } = require('jsdom');
const { Readability } = require('@mozilla/readability');

let rounds = 3;
const files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') rounds = Math.max(1, parseInt(args[++i], 10));
  else files.push(args[i]);
}
const pages = files.map((f) => readFileSync(f, 'utf8'));
const quiet = new VirtualConsole();
let failed = 0;
const start = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  for (const html of pages) {
    try {
      const dom = new JSDOM(html, { url: 'https://example.org/', virtualConsole: quiet });
      const article = new Readability(dom.window.document).parse();
      if (!article && r === 0) failed++;
      dom.window.close();
    } catch (e) {
      if (r === 0) failed++;
    }
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({
  pages: pages.length, rounds, seconds: +seconds.toFixed(3),
  pages_per_second: +((pages.length * rounds) / seconds).toFixed(1), failed,
  peak_rss_kib: Math.round(process.resourceUsage().maxRSS),
}));
