// Browser tests for a built chronicle site.
//
// Serves a built site directory on loopback under its base path, loads a
// fixed list of pages in headless Chromium (the system's, through
// playwright-core), and fails on:
//   - a console error or an uncaught page error,
//   - a failed request, or any response with HTTP status >= 400
//     (the deliberate 404 page excepted, whose document must be a 404),
//   - a request to anywhere but the loopback server,
//   - an axe-core violation of impact "serious" or "critical" (axe's
//     default rules and target-size), in the light and the dark colour
//     scheme,
//   - a <link> in the head, into the site, that does not answer 200,
//   - on the search page, a search that shows no results, a misspelt name
//     typed key by key that gets no "did you mean", or results that take
//     more than 50 ms after a keystroke (the median; performance.now()),
//   - at the phone width, a page wider than the viewport, or a timeline
//     that does not open at its latest days,
//   - a first Tab that does not reach a visible skip link.
// It saves a full-page screenshot of each page at a phone and a desktop
// width. Usage (tests/browser/run.sh does all of it):
//
//   node run.mjs --site DIR --base-url http://127.0.0.1:PORT/chronicle/ \
//                [--out DIR] [--chromium PATH] [--only NAME,...]
//                [--page NAME=PATH ...]   (check these pages of another site instead)
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on a usage
// or setup error.

import { createServer } from "node:http";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const require = createRequire(import.meta.url);

// The pages every run loads. A page missing from the site is a failure:
// nothing here is skipped. `status` is the HTTP status the document must
// have; `search` types a query into the page's search box.
const PAGES = [
  { name: "home", path: "" },
  { name: "day", path: "days/2022-01-26/" },
  { name: "thread", path: "threads/arming-ukraine/" },
  { name: "actor", path: "actors/blinken/" },
  { name: "topic", path: "topics/diplomacy/" },
  { name: "article", path: "articles/cnn-live-2022-01-26/" },
  { name: "search", path: "search/", search: "Blinken" },
  { name: "days", path: "days/" },
  { name: "threads", path: "threads/" },
  { name: "actors", path: "actors/" },
  { name: "topics", path: "topics/" },
  { name: "sources", path: "sources/" },
  { name: "about", path: "about/" },
  { name: "not-found", path: "no-such-page/", status: 404 },
];

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  { name: "desktop", width: 1280, height: 900, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
];

// Impacts that fail the run; the others are reported as notes.
const FAILING_IMPACTS = new Set(["serious", "critical"]);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".atom": "application/atom+xml",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

function usage(message) {
  console.error(`run.mjs: ${message}`);
  console.error(
    "usage: node run.mjs --site DIR --base-url http://127.0.0.1:PORT/PATH/ [--out DIR] [--chromium PATH] [--only NAME,...]",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const args = {
    site: path.join(repo, "target", "browser-site"),
    out: path.join(repo, "target", "browser"),
    chromium: process.env.CHROMIUM || "/usr/bin/chromium",
    baseUrl: null,
    only: null,
    pages: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    if (flag === "--site") args.site = path.resolve(value);
    else if (flag === "--out") args.out = path.resolve(value);
    else if (flag === "--chromium") args.chromium = value;
    else if (flag === "--base-url") args.baseUrl = value;
    else if (flag === "--only") args.only = new Set(value.split(","));
    else if (flag === "--page") {
      const [name, pagePath] = value.split("=");
      if (!name || pagePath === undefined) usage("--page takes NAME=PATH, e.g. claim-day=days/2022-01-31/");
      args.pages.push({ name, path: pagePath });
    }
    else usage(`unknown option ${flag}`);
  }
  if (!args.baseUrl) usage("--base-url is required (the URL the site was built for)");
  let url;
  try {
    url = new URL(args.baseUrl);
  } catch {
    usage(`--base-url ${args.baseUrl} is not a URL`);
  }
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(url.hostname) || !url.port) {
    usage("--base-url must be http://127.0.0.1:PORT/... (a loopback address with a port)");
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  args.baseUrl = url;
  return args;
}

// A small static server: files of `root` under the URL path `base`,
// `dir/` → `dir/index.html`, `dir` → 301 to `dir/`, the site's 404.html
// (status 404) for anything missing.
function serve(root, base, port) {
  const notFound = path.join(root, "404.html");
  const send404 = (res, head) => {
    let body = "not found\n";
    let type = "text/plain; charset=utf-8";
    try {
      body = readFileSync(notFound);
      type = TYPES[".html"];
    } catch {
      // no 404.html: plain text
    }
    res.writeHead(404, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(head ? undefined : body);
  };
  const server = createServer((req, res) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    if (pathname + "/" === base) {
      res.writeHead(301, { location: base });
      res.end();
      return;
    }
    if (!pathname.startsWith(base) || pathname.includes("\0")) return send404(res, head);
    const rel = pathname.slice(base.length);
    let file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return send404(res, head);
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        if (!pathname.endsWith("/")) {
          res.writeHead(301, { location: pathname + "/" });
          res.end();
          return;
        }
        file = path.join(file, "index.html");
        stat = statSync(file);
      }
    } catch {
      return send404(res, head);
    }
    if (!stat.isFile()) return send404(res, head);
    const type = TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
    res.writeHead(200, { "content-type": type, "content-length": stat.size, "cache-control": "no-store" });
    if (head) res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function formatViolation(v) {
  const lines = [`[${v.impact}] ${v.id}: ${v.help}`, `    ${v.helpUrl}`];
  const shown = 6;
  for (const node of v.nodes.slice(0, shown)) {
    lines.push(`    at ${node.target.join(" ")}`);
    // The reasons, without axe's "Fix any/all of the following:" headings.
    const summary = (node.failureSummary || "")
      .split("\n")
      .map((s) => s.trim())
      .filter((s) => s && !s.endsWith(":"));
    for (const s of summary.slice(0, 3)) lines.push(`       ${s}`);
  }
  if (v.nodes.length > shown) lines.push(`    ... and ${v.nodes.length - shown} more elements`);
  return lines.join("\n");
}

// Problems found on one page, each reported once with where it was seen
// (phone, desktop, desktop/dark, ...).
class Findings {
  constructor() {
    this.seen = new Map();
  }
  add(where, text) {
    if (!this.seen.has(text)) this.seen.set(text, []);
    const places = this.seen.get(text);
    if (!places.includes(where)) places.push(where);
  }
  list() {
    return [...this.seen].map(([text, places]) => {
      const [first, ...rest] = text.split("\n");
      return [`${first}  [${places.join(", ")}]`, ...rest].join("\n");
    });
  }
}

async function checkPage(browser, axeSource, args, spec) {
  const failures = new Findings();
  const notes = new Findings();
  const url = new URL(spec.path, args.baseUrl).href;
  const expected = spec.status ?? 200;
  const origin = args.baseUrl.origin;

  for (const vp of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: { width: vp.width, height: vp.height },
      deviceScaleFactor: vp.deviceScaleFactor,
      isMobile: vp.isMobile,
      hasTouch: vp.hasTouch,
      colorScheme: "light",
      reducedMotion: "reduce",
      serviceWorkers: "block",
    });
    const page = await context.newPage();
    const where = `${vp.name}`;
    // Only the loopback server: anything else is a failure (and is not fetched).
    const blocked = new Set();
    await page.route("**/*", (route) => {
      const target = route.request().url();
      if (target.startsWith(origin + "/") || target.startsWith("data:")) return route.continue();
      blocked.add(target);
      failures.add(where, `request to outside the site: ${target}`);
      return route.abort("blockedbyclient");
    });
    page.on("console", (msg) => {
      const loc = msg.location();
      const at = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : "";
      // Chromium logs the expected 404 of the not-found page's own document.
      // A blocked request's console line repeats what the route reported.
      const failedLoad = msg.text().startsWith("Failed to load resource") && loc && loc.url;
      const expectedMiss = failedLoad && ((expected !== 200 && loc.url === url) || blocked.has(loc.url));
      if (msg.type() === "error" && !expectedMiss) failures.add(where, `console error: ${msg.text()}${at}`);
      else if (msg.type() === "warning") notes.add(where, `console warning: ${msg.text()}${at}`);
    });
    page.on("pageerror", (err) => failures.add(where, `uncaught error: ${err.message}`));
    page.on("requestfailed", (req) => {
      const reason = req.failure()?.errorText ?? "failed";
      if (blocked.has(req.url())) return; // reported by the route
      failures.add(where, `request failed: ${req.url()} (${reason})`);
    });
    page.on("response", (res) => {
      const status = res.status();
      const isDocument = res.request().isNavigationRequest() && res.request().frame() === page.mainFrame();
      if (isDocument && res.url() === url) return; // checked below
      if (status >= 400) failures.add(where, `HTTP ${status} for ${res.url()}`);
    });

    let response = null;
    try {
      response = await page.goto(url, { waitUntil: "load", timeout: 30_000 });
    } catch (err) {
      failures.add(where, `could not load ${url}: ${err.message.split("\n")[0]}`);
    }
    if (response) {
      if (response.status() !== expected) {
        failures.add(where, `${url} answered HTTP ${response.status()}, expected ${expected}`);
      }
      await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {
        notes.add(where, `the network did not go idle within 10 s`);
      });

      // Links in <head> that the browser does not fetch itself (canonical,
      // feeds, ...) must resolve too, when they point into the site.
      if (vp.name === "desktop") {
        const hrefs = await page.evaluate(() =>
          [...document.querySelectorAll("head link[href]")].map((l) => [l.rel, l.href]),
        );
        for (const [rel, href] of hrefs) {
          const target = href.split("#")[0];
          if (!target.startsWith(origin + "/")) continue;
          const res = await context.request.get(target, { maxRedirects: 0, timeout: 10_000 }).catch((e) => e);
          const status = res instanceof Error ? res.message.split("\n")[0] : res.status();
          if (status !== 200) failures.add(where, `<link rel="${rel}" href="${href}"> answered ${status}`);
        }
      }

      // Keyboard: the first Tab reaches a skip link to the content, shown
      // on screen while it has the focus.
      if (vp.name === "desktop") {
        await page.keyboard.press("Tab");
        const first = await page.evaluate(() => {
          const a = document.activeElement;
          if (!a || a === document.body) return { ok: false, what: "nothing" };
          const r = a.getBoundingClientRect();
          const target = a.getAttribute("href") || "";
          const ok =
            a.tagName === "A" && target.startsWith("#") && target.length > 1 &&
            document.getElementById(target.slice(1)) !== null &&
            r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 &&
            r.right <= innerWidth && r.bottom <= innerHeight;
          return { ok, what: a.outerHTML.slice(0, 120) };
        });
        if (!first.ok) failures.add(where, `the first Tab does not reach a visible skip link (focused: ${first.what})`);
        await page.evaluate(() => document.activeElement && document.activeElement.blur());
      }

      // Reflow: at the phone width the page must not scroll sideways.
      if (vp.name === "phone") {
        const overflow = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          // The elements that stick out, leaving out those inside a box
          // that scrolls or clips them.
          const clipped = (e) => {
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== "visible") return true;
            }
            return false;
          };
          const wide = [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
            .slice(0, 3)
            .map((e) => {
              const cls = (e.getAttribute("class") || "").split(" ")[0];
              return `${e.tagName.toLowerCase()}${cls ? "." + cls : ""}`;
            });
          return `${document.documentElement.scrollWidth}px wide in a ${width}px viewport (${wide.join(", ")})`;
        });
        if (overflow) failures.add(where, `the page scrolls sideways: ${overflow}`);
        // A timeline wider than the screen opens at its latest days.
        const opensAt = await page.evaluate(() => {
          const box = document.querySelector(".timeline-scroll");
          const chart = box && box.querySelector("svg");
          if (!chart || box.scrollWidth <= box.clientWidth) return null;
          const gap = chart.getBoundingClientRect().right - box.getBoundingClientRect().right;
          return gap > 1 ? `its right end is ${Math.round(gap)}px out of view` : null;
        });
        if (opensAt) failures.add(where, `the timeline does not open at its latest days: ${opensAt}`);
      }

      if (spec.search) {
        await exerciseSearch(page, spec.search, where, failures);
        await typeSearch(page, where, failures, notes);
      }

      // axe-core, once per viewport (the layouts differ) and, on the
      // desktop, in the dark colour scheme too.
      const schemes = vp.name === "desktop" ? ["light", "dark"] : ["light"];
      for (const scheme of schemes) {
        await page.emulateMedia({ colorScheme: scheme });
        let result;
        try {
          if (!(await page.evaluate(() => typeof window.axe === "object"))) {
            await page.evaluate(axeSource);
          }
          // axe's default rules, plus target-size (WCAG 2.2 AA, 2.5.8),
          // which axe leaves off by default.
          result = await page.evaluate(() =>
            window.axe.run(document, {
              resultTypes: ["violations"],
              rules: { "target-size": { enabled: true } },
            }),
          );
        } catch (err) {
          failures.add(`${where}/${scheme}`, `axe-core did not run: ${err.message.split("\n")[0]}`);
          continue;
        }
        for (const v of result.violations) {
          const text = formatViolation(v);
          if (FAILING_IMPACTS.has(v.impact)) failures.add(`${where}/${scheme}`, text);
          else notes.add(`${where}/${scheme}`, text);
        }
      }
      await page.emulateMedia({ colorScheme: "light" });

      const shot = path.join(args.out, `${spec.name}-${vp.name}.png`);
      try {
        await page.screenshot({ path: shot, fullPage: true, timeout: 30_000 });
      } catch (err) {
        failures.add(where, `screenshot failed: ${err.message.split("\n")[0]}`);
      }
    }
    await context.close();
  }
  return { failures: failures.list(), notes: notes.list() };
}

// Types a query into the main search box and waits for the results to
// settle; a search that throws, logs an error or fails a request (its
// index, say) fails the run through the listeners set up in checkPage, and
// so does a search that adds no links to the page (no results shown).
async function exerciseSearch(page, query, where, failures) {
  const box = page.locator('main input[type="search"]').first();
  if ((await box.count()) === 0) {
    failures.add(where, `the search page has no search box (main input[type=search])`);
    return;
  }
  const links = () => page.locator("main a[href]").count();
  const before = await links();
  try {
    await box.fill(query, { timeout: 5_000 });
    await box.press("Enter", { timeout: 5_000 });
  } catch (err) {
    failures.add(where, `could not type into the search box: ${err.message.split("\n")[0]}`);
    return;
  }
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
  const deadline = Date.now() + 10_000;
  let after = await links();
  while (after <= before && Date.now() < deadline) {
    await page.waitForTimeout(200);
    after = await links();
  }
  if (after <= before) failures.add(where, `searching for "${query}" showed no results (no new links in <main>)`);
}

// Types a misspelt name key by key, as a reader does, and times each
// keystroke to its results in the page (performance.now() from the input
// event to search.js's "search-results" event, when the results are in
// the DOM). The median must be within 50 ms; the misspelling must bring a
// "did you mean" with the registry's spelling.
async function typeSearch(page, where, failures, notes) {
  const box = page.locator('main input[type="search"]').first();
  if ((await box.count()) === 0) return;
  await box.fill("");
  await page.evaluate(() => {
    window.__searchTimes = [];
    let typed = 0;
    const input = document.querySelector('main input[type="search"]');
    document.addEventListener("input", () => { typed = performance.now(); }, true);
    document.querySelector("[data-search]").addEventListener("search-results", (e) => {
      if (e.detail.query === input.value && typed) {
        window.__searchTimes.push(performance.now() - typed);
        typed = 0;
      }
    });
  });
  const query = "Zelenksy";
  await box.pressSequentially(query, { delay: 120 });
  const deadline = Date.now() + 5_000;
  let times = [];
  while (Date.now() < deadline) {
    times = await page.evaluate(() => window.__searchTimes.slice());
    if (times.length >= query.length) break;
    await page.waitForTimeout(100);
  }
  if (times.length < query.length) {
    failures.add(where, `typing "${query}": results for ${times.length} of ${query.length} keystrokes`);
    return;
  }
  const sorted = times.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const max = sorted[sorted.length - 1];
  notes.add(where, `keystroke to results: median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms (${times.length} keystrokes)`);
  if (median > 50) failures.add(where, `results took ${median.toFixed(1)} ms after a keystroke (median), more than 50 ms`);
  const suggestion = await page.locator("main .search-suggest").textContent().catch(() => "");
  if (!/Did you mean Zelenskyy\?/.test(suggestion || "")) {
    failures.add(where, `"${query}" gave no "Did you mean Zelenskyy?" (got ${JSON.stringify(suggestion)})`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  try {
    if (!statSync(path.join(args.site, "index.html")).isFile()) throw new Error();
  } catch {
    usage(`${args.site} holds no built site (no index.html): build it first`);
  }
  const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // Pages given with --page are checked instead of the shipped site's list.
  const pages = args.pages.length ? args.pages : args.only ? PAGES.filter((p) => args.only.has(p.name)) : PAGES;
  if (args.only && pages.length !== args.only.size) usage(`--only names one of: ${PAGES.map((p) => p.name).join(", ")}`);

  // Old screenshots of the pages about to be checked go first, so none
  // outlives a failed run; nothing else in the directory is touched.
  await mkdir(args.out, { recursive: true });
  for (const spec of pages) {
    for (const vp of VIEWPORTS) await rm(path.join(args.out, `${spec.name}-${vp.name}.png`), { force: true });
  }

  const port = Number(args.baseUrl.port);
  let server;
  try {
    server = await serve(path.resolve(args.site), args.baseUrl.pathname, port);
  } catch (err) {
    console.error(`run.mjs: cannot listen on 127.0.0.1:${port}: ${err.message}`);
    process.exit(2);
  }

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: args.chromium,
      headless: true,
      timeout: 60_000,
      // Root in CI has no sandbox; the other flags keep Chromium off the
      // network, which is closed here.
      chromiumSandbox: false,
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-dev-shm-usage",
      ],
    });
  } catch (err) {
    server.close();
    console.error(`run.mjs: cannot start Chromium at ${args.chromium}: ${err.message.split("\n")[0]}`);
    process.exit(2);
  }

  console.log(`browser tests: ${pages.length} pages of ${args.site}, served at ${args.baseUrl.href}`);
  console.log(`Chromium ${browser.version()}, axe-core ${require("axe-core/package.json").version}`);
  const started = Date.now();
  let failed = 0;
  const report = [];
  for (const spec of pages) {
    const t0 = Date.now();
    const { failures, notes } = await checkPage(browser, axeSource, args, spec);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const label = `${spec.name} (/${spec.path})`;
    if (failures.length) {
      failed++;
      console.log(`FAIL ${label} ${secs}s`);
      for (const f of failures) console.log(indent(f));
    } else {
      console.log(`ok   ${label} ${secs}s`);
    }
    for (const n of notes) report.push(`${spec.name}: ${n}`);
  }
  await browser.close();
  server.close();

  if (report.length) {
    console.log("\nnotes (not failures: moderate/minor axe findings, console warnings):");
    for (const n of report) console.log(indent(n));
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\nscreenshots: ${args.out}/ (${VIEWPORTS.map((v) => `${v.name} ${v.width}x${v.height}`).join(", ")})`);
  if (failed) {
    console.log(`browser tests FAILED: ${failed} of ${pages.length} pages had problems (${secs}s)`);
    process.exit(1);
  }
  console.log(`browser tests passed: ${pages.length} pages (${secs}s)`);
}

function indent(text) {
  return text
    .split("\n")
    .map((l) => "    " + l)
    .join("\n");
}

main().catch((err) => {
  console.error(`run.mjs: ${err.stack || err}`);
  process.exit(2);
});
