// Loads a built chronicle's timeline.json in the real TimelineJS (the npm
// package @knight-lab/timelinejs, served from node_modules) in headless
// Chromium, embedded at the size its docs suggest (100% wide, 650 px
// tall), and fails when:
//   - TimelineJS reports an error, or the page logs one,
//   - it shows another number of events than timeline.json holds,
//   - the time navigation takes more than half of the embed's height,
//   - a marker's headline is cut (its text overflows the marker).
// Saves a screenshot at desktop and phone widths. Usage:
//
//   node timelinejs.mjs --site DIR --base-url http://127.0.0.1:PORT/chronicle/ \
//                       --out DIR [--chromium PATH]
//
// Prints one line of measures per width; exit status 0 when every check
// passed, 1 when any failed, 2 on a usage or setup error.

import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const EMBED_HEIGHT = 650;
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};

function parseArgs(argv) {
  const args = { chromium: "/usr/bin/chromium" };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === "--site") args.site = path.resolve(value);
    else if (flag === "--base-url") args.baseUrl = new URL(value);
    else if (flag === "--out") args.out = path.resolve(value);
    else if (flag === "--chromium") args.chromium = value;
    else usage(`unknown option ${flag}`);
  }
  if (!args.site || !args.baseUrl || !args.out) usage("--site, --base-url and --out are needed");
  return args;
}

function usage(message) {
  console.error(`timelinejs.mjs: ${message}`);
  process.exit(2);
}

/// Serves the site under its base path, TimelineJS's dist/ under /timelinejs/
/// and the embedding page at /embed.html.
function serve(site, base, port, dist) {
  const embed = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>timeline.json in TimelineJS</title>
<link rel="stylesheet" href="/timelinejs/css/timeline.css">
<script src="/timelinejs/js/timeline.js"></script>
</head><body style="margin:0">
<div id="timeline" style="width: 100%; height: ${EMBED_HEIGHT}px"></div>
<script>
window.tlErrors = [];
window.tlReady = false;
const timeline = new TL.Timeline("timeline", "${base}timeline.json");
timeline.on("loaded", () => { window.tlReady = true; });
timeline.on("dataloaded", () => { window.tlReady = true; });
timeline.on("error", (e) => window.tlErrors.push(e.message || String(e)));
</script></body></html>`;
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file;
    if (pathname === "/embed.html") {
      res.writeHead(200, { "content-type": TYPES[".html"] });
      res.end(embed);
      return;
    } else if (pathname.startsWith("/timelinejs/")) {
      file = path.join(dist, pathname.slice("/timelinejs/".length));
      if (!file.startsWith(dist + path.sep)) file = null;
    } else if (pathname.startsWith(base)) {
      file = path.join(site, pathname.slice(base.length));
      if (!file.startsWith(site)) file = null;
    }
    try {
      if (!file || !statSync(file).isFile()) throw new Error();
      const body = readFileSync(file);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] || "application/octet-stream",
        "access-control-allow-origin": "*",
      });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function check(browser, args, viewport, expectedEvents) {
  const failures = [];
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  const page = await context.newPage();
  const origin = args.baseUrl.origin;
  await page.route("**/*", (route) =>
    route.request().url().startsWith(origin) ? route.continue() : route.abort(),
  );
  page.on("console", (m) => {
    if (m.type() === "error" && !/net::ERR_FAILED/.test(m.text())) failures.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  await page.goto(`${origin}/embed.html`, { waitUntil: "load" });
  await page.waitForFunction(() => window.tlReady || window.tlErrors.length, null, { timeout: 30_000 });
  await page.waitForTimeout(1500); // the time navigation lays itself out after load
  const measures = await page.evaluate(() => {
    const markers = [...document.querySelectorAll(".tl-timemarker")];
    // TimelineJS ends a long headline with "…" on a marker by design; a
    // headline is cut when its marker is too low to show one whole line.
    const cut = markers
      .map((m) => {
        const text = m.querySelector(".tl-timemarker-text");
        const headline = m.querySelector(".tl-headline");
        if (!text || !headline) return null;
        const line = parseFloat(getComputedStyle(headline).lineHeight) || headline.getBoundingClientRect().height;
        return text.getBoundingClientRect().height + 0.5 < line ? headline.textContent.trim() : null;
      })
      .filter(Boolean);
    const nav = document.querySelector(".tl-timenav");
    return {
      errors: window.tlErrors,
      markers: markers.length,
      groups: document.querySelectorAll(".tl-timegroup").length,
      navHeight: nav ? nav.offsetHeight : 0,
      cut,
    };
  });
  for (const e of measures.errors) failures.push(`TimelineJS error: ${e}`);
  if (measures.markers !== expectedEvents) {
    failures.push(`TimelineJS shows ${measures.markers} events, timeline.json holds ${expectedEvents}`);
  }
  if (measures.navHeight > EMBED_HEIGHT / 2) {
    failures.push(`the time navigation takes ${measures.navHeight} of ${EMBED_HEIGHT} px`);
  }
  if (measures.cut.length) {
    failures.push(`${measures.cut.length} headlines cut, e.g. ${JSON.stringify(measures.cut.slice(0, 3))}`);
  }
  await page.screenshot({ path: path.join(args.out, `timelinejs-${viewport.name}.png`) });
  await context.close();
  console.log(
    `${viewport.name}: ${measures.markers} events, ${measures.groups} groups, ` +
      `time navigation ${measures.navHeight}/${EMBED_HEIGHT} px, ${measures.cut.length} headlines cut`,
  );
  return failures;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const timeline = JSON.parse(readFileSync(path.join(args.site, "timeline.json"), "utf8"));
  const dist = path.dirname(path.dirname(require.resolve("@knight-lab/timelinejs/dist/js/timeline.js")));
  await mkdir(args.out, { recursive: true });
  const server = await serve(args.site, args.baseUrl.pathname, Number(args.baseUrl.port), dist);
  const browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    chromiumSandbox: false,
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  let failed = false;
  try {
    for (const viewport of WIDTHS) {
      const failures = await check(browser, args, viewport, timeline.events.length);
      for (const f of failures) console.log(`FAIL ${viewport.name}: ${f}`);
      failed ||= failures.length > 0;
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`timelinejs.mjs: ${err.stack || err}`);
  process.exit(2);
});
