// Search benchmark in headless Chromium: chronicle's search.js against
// its fragment index (search/) and Pagefind against its index (pagefind/)
// of the same built site. For each query and tool, `--runs` cold loads (a
// new browser context each: empty cache), each measuring, in the page,
// from the start of the search (the script not yet loaded) to the first
// result's record in hand:
//   - time (performance.now()),
//   - bytes fetched and requests, counted by the server (bodies as sent:
//     the server gzips text as a static host would; Pagefind's own index
//     files are gzipped already; Pagefind fetches from a web worker, which
//     Resource Timing in the page does not see).
// chronicle is also measured to a full page of results (the records of 20
// entries and 20 articles, what its search page shows).
//
//   node bench/search/measure.mjs --site DIR --size N --runs 5 [--chromium PATH] [--queries a,b]
//
// Prints one JSON line per run on stdout. bench/search/run.sh drives it.

import { createServer } from "node:http";
import { readFileSync, statSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const require = createRequire(path.join(repo, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

function args() {
  const a = process.argv.slice(2);
  const out = { runs: 5, chromium: "/usr/bin/chromium", queries: null };
  for (let i = 0; i < a.length; i += 2) {
    const v = a[i + 1];
    if (a[i] === "--site") out.site = path.resolve(v);
    else if (a[i] === "--size") out.size = +v;
    else if (a[i] === "--runs") out.runs = +v;
    else if (a[i] === "--chromium") out.chromium = v;
    else if (a[i] === "--queries") out.queries = v.split(",");
    else throw new Error(`unknown option ${a[i]}`);
  }
  if (!out.site) throw new Error("--site DIR is needed");
  return out;
}

const { shardOf } = require(path.join(repo, "themes/default/static/search.js"));

// A fragment of chronicle's index, read from disk.
function fragment(site, id) {
  const text = readFileSync(path.join(site, "search", id + ".js"), "utf8");
  return JSON.parse(text.slice("ChronicleSearch.add(".length, text.lastIndexOf(")")));
}

// Queries drawn from the built index, the same at every size for a seed:
// the surname of the actor in most entries, that surname misspelt (two
// middle letters swapped), a word of headlines of middling frequency, two
// such words together, and the busiest day as the site writes it.
function pickQueries(site) {
  const index = fragment(site, "index");
  // The actors' rows, from the registry chunks (actors come first).
  const actors = [];
  for (let n = 0; actors.length < index.registries[0]; n++) {
    actors.push(...fragment(site, "g/" + n).rows);
  }
  actors.length = index.registries[0];
  let best = null;
  actors.forEach((row, n) => {
    const per = index.registry_chunk;
    const count = fragment(site, "r/" + Math.floor(n / per)).entries[n % per].length;
    if (row[3] === "person" && (!best || count > best.count)) best = { row, count };
  });
  const surname = best.row[1].split(" ").pop();
  const mid = Math.floor(surname.length / 2);
  const typo = surname.slice(0, mid - 1) + surname[mid] + surname[mid - 1] + surname.slice(mid + 1);
  // Words of 6+ letters of the documents, by how many hold them.
  const words = [];
  for (let n = 0; n < index.shards; n++) {
    const terms = fragment(site, "t/" + n).terms;
    for (const [w, p] of Object.entries(terms)) {
      const n = p[0].length + p[1].length;
      if (w.length >= 6 && /^[a-z]+$/.test(w)) words.push([n, w]);
    }
  }
  words.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
  const middling = words.slice(Math.floor(words.length * 0.1));
  const word = middling[0][1];
  // A second word from a headline holding the first.
  const posting = fragment(site, "t/" + shardOf(word.slice(0, 2), index.shards)).terms[word][0];
  const doc = posting[0];
  const headline = fragment(site, "d/" + Math.floor(doc / index.chunk)).docs[doc % index.chunk][1];
  const other = headline.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 6 && w !== word)[0];
  let day = 0;
  index.day_starts.forEach((s, i) => {
    const end = i + 1 < index.day_starts.length ? index.day_starts[i + 1] : index.entries;
    const bestEnd = day + 1 < index.day_starts.length ? index.day_starts[day + 1] : index.entries;
    if (end - s > bestEnd - index.day_starts[day]) day = i;
  });
  const [y, m, d] = index.days[day].split("-").map(Number);
  const date = `${d} ${index.dates.months[m - 1]} ${y}`;
  return [surname, typo, word, `${word} ${other}`, date];
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".css": "text/css", ".wasm": "application/wasm",
};

// Files of `root`, text gzipped when the browser asks (as a static host
// would), Pagefind's binary fragments as they are.
const sent = { requests: 0, bytes: 0, raw: 0 };
function serve(root) {
  const cache = new Map();
  const server = createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p === "/__bench/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>bench</title>");
      return;
    }
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(root, p);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const ext = path.extname(file);
    const type = TYPES[ext] || "application/octet-stream";
    const gzip = /gzip/.test(req.headers["accept-encoding"] || "") && TYPES[ext] && ext !== ".wasm";
    let body = cache.get(file + gzip);
    if (!body) {
      body = readFileSync(file);
      if (gzip) body = gzipSync(body, { level: 6 });
      if (cache.size < 20000) cache.set(file + gzip, body);
    }
    const headers = { "content-type": type, "cache-control": "no-store" };
    if (gzip) headers["content-encoding"] = "gzip";
    sent.requests += 1;
    sent.bytes += body.length;
    sent.raw += statSync(file).size;
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Runs in the page. Returns time, results and what was fetched.
async function inPage({ tool, query, limit }) {
  const t0 = performance.now();
  let count = 0;
  if (tool === "chronicle") {
    await new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "/search.js";
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
    const api = window.ChronicleSearch;
    const waiting = {};
    api.add = (data) => { const cb = waiting[data.id]; delete waiting[data.id]; cb(data); };
    const load = (id) => new Promise((resolve, reject) => {
      waiting[id] = resolve;
      const s = document.createElement("script");
      s.src = "/search/" + id + ".js";
      s.onerror = () => reject(new Error(id));
      document.head.appendChild(s);
    });
    const prepared = api.prepare(await load("index"), "/");
    let r;
    for (;;) {
      r = api.search(prepared, query, limit);
      if (r.complete) break;
      (await Promise.all(r.missing.map(load))).forEach((d) => api.addFragment(prepared, d));
    }
    count = r.entries.length + r.articles.length + r.actors.length + r.threads.length + r.topics.length + r.days.length;
  } else {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const r = await pf.search(query);
    count = r.results.length;
    if (count) await r.results[0].data();
  }
  return { ms: performance.now() - t0, count };
}

async function main() {
  const a = args();
  const queries = a.queries || pickQueries(a.site);
  const server = await serve(a.site);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: a.chromium, args: ["--no-sandbox"] });
  const tools = [
    ["chronicle", { entries: 1, articles: 1 }, "first"],
    ["chronicle", { entries: 20, articles: 20 }, "page"],
  ];
  if (existsSync(path.join(a.site, "pagefind/pagefind.js"))) tools.push(["pagefind", null, "first"]);
  for (let run = 0; run < a.runs; run++) {
    for (const query of queries) {
      for (const [tool, limit, to] of tools) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(base + "/__bench/");
        Object.assign(sent, { requests: 0, bytes: 0, raw: 0 });
        const m = await page.evaluate(inPage, { tool, query, limit });
        Object.assign(m, sent);
        await context.close();
        console.log(JSON.stringify({ size: a.size, tool, to, query, run, ...m }));
      }
    }
  }
  await browser.close();
  server.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
