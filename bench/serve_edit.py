#!/usr/bin/env python3
"""Edit-to-reload latency: `chronicle serve` against `hugo server`.

Both servers serve the same synthetic corpus (bench/gen_corpus.py), one after
the other in the same run. For each tool the script starts the server on a
free loopback port, waits for the first build, then makes N edits: each
changes one entry's headline in a different article to a fresh marker, and
times how long after the write the article's page and the entry's day page
serve the marker. See docs/benchmarks.md, "Edit-to-reload (serve)".

    bench/serve_edit.py --size 1000                 # quick
    bench/serve_edit.py --size 10000 --edits 20     # the comparison
    bench/serve_edit.py --corpus DIR --tools chronicle

The corpus is copied to a scratch directory under $TMPDIR first (the cached
corpus is never edited) and removed at the end. Results go to a JSON file
(default bench/results/serve-edit-<time>.json) and a table on stdout.
"""

import argparse
import glob
import hashlib
import html
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TOOLS = ("chronicle", "hugo")
KINDS = ("article", "day", "both")


class BenchError(Exception):
    pass


# --------------------------------------------------------------- corpus

def find_corpus(size, seed):
    """The cached corpus of `size` articles: the one bench/run.sh would use
    (keyed by a hash of the generator), else the newest one of that size."""
    h = hashlib.sha256()
    for name in ("gen_corpus.py", os.path.join("hugo", "hugo.toml")):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(f.read())
    exact = os.path.join(HERE, "corpus", f"{size}-seed{seed}-{h.hexdigest()[:10]}")
    if os.path.isfile(os.path.join(exact, "done")):
        return exact
    found = [d for d in glob.glob(os.path.join(HERE, "corpus", f"{size}-seed{seed}-*"))
             if os.path.isfile(os.path.join(d, "done"))]
    if not found:
        raise BenchError(f"no corpus of {size} articles (seed {seed}) under bench/corpus/; "
                         f"generate one with `bench/run.sh --runs 2 {size}` or bench/gen_corpus.py")
    newest = max(found, key=os.path.getmtime)
    print(f"note: no corpus from the current generator; using {newest}", file=sys.stderr)
    return newest


HUGO_ENTRY = re.compile(r'^  - id: "([^"\n]+)"\n    headline: ("[^"\n]*")\n    day: "(\d{4}-\d\d-\d\d)"\n',
                        re.M)


def chronicle_entry_re(entry_id):
    # Entries with an explicit id: `- id:`, then `at:`, then `headline:`.
    return re.compile(r'^(  - id: "' + re.escape(entry_id) + r'"\n    at: [^\n]*\n    headline: )("[^"\n]*")\n',
                      re.M)


def hugo_entry_re(entry_id):
    return re.compile(r'^(  - id: "' + re.escape(entry_id) + r'"\n    headline: )("[^"\n]*")\n', re.M)


def chronicle_file(root, stem):
    """The file holding an article's annotations: X.yaml beside the text, or
    the .md with front matter."""
    for ext in (".yaml", ".md"):
        hits = glob.glob(os.path.join(root, "content", "articles", "*", "*", stem + ext))
        if hits:
            return hits[0]
    return None


def plan_edits(corpus, n, seed):
    """N edits, each in a different article, the same for every tool and run
    with the same seed. Each picks an entry declared in the article with an
    explicit id (so editing its headline changes no id), not its first entry
    (which other articles may repeat with `same_as`)."""
    hugo_dir = os.path.join(corpus, "hugo", "content", "articles")
    stems = sorted(f[:-3] for f in os.listdir(hugo_dir) if f.endswith(".md") and f != "_index.md")
    random.Random(f"serve-edit:{seed}").shuffle(stems)
    plans = []
    for stem in stems:
        if len(plans) == n:
            break
        with open(os.path.join(hugo_dir, stem + ".md"), encoding="utf-8") as f:
            hugo_text = f.read()
        cfile = chronicle_file(os.path.join(corpus, "chronicle"), stem)
        if cfile is None:
            raise BenchError(f"no chronicle file for the Hugo article {stem}")
        with open(cfile, encoding="utf-8") as f:
            ctext = f.read()
        for entry_id, headline, day in HUGO_ENTRY.findall(hugo_text):
            if entry_id.endswith("-0") or hugo_text.count(f'id: "{entry_id}"') != 1:
                continue
            m = chronicle_entry_re(entry_id).search(ctext)
            if not m or m.group(2) != headline:
                continue
            plans.append({
                "stem": stem, "entry": entry_id, "day": day,
                "headline": json.loads(headline),
                "chronicle_file": os.path.relpath(cfile, os.path.join(corpus, "chronicle")),
                "hugo_file": os.path.join("content", "articles", stem + ".md"),
            })
            break
    if len(plans) < n:
        raise BenchError(f"found only {len(plans)} editable entries for {n} edits")
    return plans


def copy_site(src, dst):
    # symlinks=False: the theme (chronicle) and layouts (Hugo) links are copied
    # as files, so that edits to the repository during a run do not reach it.
    shutil.copytree(src, dst, symlinks=False)


# --------------------------------------------------------------- HTTP

def http_get(port, path, timeout=30.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity", "Connection": "close"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------- servers

def vm_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Server:
    """One server process, its log, and how to read its rebuilds from it."""

    def __init__(self, tool, argv, site, port, scratch):
        self.tool, self.argv, self.site, self.port = tool, argv, site, port
        self.log_path = os.path.join(scratch, f"{tool}.log")
        self.log = open(self.log_path, "wb")
        self.proc = None
        # What the server prints once per rebuild, and the time it reports.
        if tool == "chronicle":
            self.rebuilt = re.compile(r"^serve: (?:built \d+ pages|build failed.*?|resolved \d+ changed article\S* again|loaded the templates again|read the static files again) in (\d+) ms", re.M)
        else:
            self.rebuilt = re.compile(r"^Total in (\d+) ms", re.M)

    def start(self):
        # A session of its own: Ctrl-C reaches the script, which stops the server.
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def check_alive(self):
        if self.proc.poll() is not None:
            raise BenchError(f"{self.tool} server exited with status {self.proc.returncode}; "
                             f"the end of its log:\n{self.log_tail()}")

    def log_text(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_tail(self, lines=25):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def rebuild_times(self):
        return [int(ms) for ms in self.rebuilt.findall(self.log_text())]

    def get(self, path, timeout=30.0):
        try:
            return http_get(self.port, path, timeout)
        except (OSError, http.client.HTTPException):
            self.check_alive()
            raise

    def wait_ready(self, timeout):
        """Polls the home page until it answers 200; the first build is done then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                status, _ = http_get(self.port, "/", timeout=timeout)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise BenchError(f"{self.tool} server did not answer within {timeout:.0f} s; its log:\n{self.log_tail()}")

    def settle(self, quiet=0.3, cap=120.0):
        """Waits until the server has logged nothing for `quiet` seconds, so
        that the next edit does not land in the tail of a rebuild."""
        deadline = time.monotonic() + cap
        size = -1
        while time.monotonic() < deadline:
            self.check_alive()
            self.log.flush()
            now = os.path.getsize(self.log_path)
            if now == size:
                return
            size = now
            time.sleep(quiet)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def tool_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


def urls(plan):
    # Both sites: articles/<stem>/ (chronicle slugs an article by its file
    # stem, which the generator makes unique; Hugo by its file name) and
    # days/<YYYY-MM-DD>/ (the entry's day in the site's zone, as the Hugo
    # front matter's `day` records it).
    return {"article": f"/articles/{plan['stem']}/", "day": f"/days/{plan['day']}/"}


def chronicle_day_page(server, pages, plan):
    """The page of its day's page that holds the entry: a day of more than
    `day_paginate_by` entries is split (`days/<day>/page/N/`), so the link
    is read from the article's page, which links the entry."""
    _, body = server.get(pages["article"])
    found = re.search(rf'href="(/days/{plan["day"]}/(?:page/\d+/)?)#{re.escape(plan["entry"])}"'.encode(), body)
    return found.group(1).decode() if found else pages["day"]


def write_in_place(path, text):
    """As an editor saving in place: truncate and write the same file (one
    write call), no rename. Returns when the file is closed."""
    data = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def edit(site, rel, regex, marker):
    path = os.path.join(site, rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new, n = regex.subn(lambda m: m.group(1) + json.dumps(marker) + "\n", text, count=1)
    if n != 1:
        raise BenchError(f"cannot find the entry to edit in {path}")
    write_in_place(path, new)


def poll_pages(server, pages, needle, t0, opts):
    """Polls each page in a thread of its own (as each would be in a browser
    of its own) until it shows `needle`; returns the milliseconds after `t0`
    at which each did."""
    seen = {}

    def poll(kind, path):
        while time.monotonic() - t0 <= opts.timeout:
            try:
                _, body = server.get(path, timeout=opts.timeout)
            except (OSError, http.client.HTTPException):
                return
            if needle in body:
                seen[kind] = (time.monotonic() - t0) * 1000
                return
            # Poll every --poll seconds at first, then at about 1% of the
            # time so far (at most 50 ms), so that a slow rebuild is not
            # slowed further by the poller on a small machine.
            time.sleep(min(max(opts.poll, (time.monotonic() - t0) / 100), 0.05))

    threads = [threading.Thread(target=poll, args=item) for item in pages.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return seen


def run_tool(tool, opts, corpus, scratch, plans):
    site = os.path.join(scratch, tool)
    t = time.monotonic()
    copy_site(os.path.join(corpus, tool), site)
    print(f"== {tool}: copied the corpus in {time.monotonic() - t:.1f} s", file=sys.stderr)
    port = free_port()
    if tool == "chronicle":
        argv = [opts.chronicle, "serve", "--root", site, "--port", str(port), "--color", "never"]
        version = tool_version([opts.chronicle, "--version"])
    else:
        argv = [opts.hugo, "server", "--source", site, "--config", "hugo.toml",
                "--bind", "127.0.0.1", "--port", str(port)] + opts.hugo_arg
        version = tool_version([opts.hugo, "version"])
    server = Server(tool, argv, site, port, scratch)
    result = {"command": " ".join(argv), "version": version, "edits": []}
    try:
        t0 = time.monotonic()
        server.start()
        server.wait_ready(opts.startup_timeout)
        result["startup_s"] = round(time.monotonic() - t0, 3)
        result["rss_after_startup_kib"] = vm_kib(server.proc.pid, "VmHWM")
        print(f"== {tool}: first build served after {result['startup_s']:.1f} s, "
              f"peak RSS so far {(result['rss_after_startup_kib'] or 0) / 1024:.0f} MiB", file=sys.stderr)
        server.settle()
        regex_for = chronicle_entry_re if tool == "chronicle" else hugo_entry_re
        for i, plan in enumerate(plans):
            marker = "Edited headline " + hashlib.sha256(f"{opts.seed}:{i}:{tool}:{time.time_ns()}".encode()).hexdigest()[:12]
            pages = urls(plan)
            if tool == "chronicle":
                pages["day"] = chronicle_day_page(server, pages, plan)
            # Before the edit: both pages must show the old headline (this
            # checks the URLs, and is the reader having the pages open; for
            # Hugo's fast render mode it makes them "recently visited").
            fetch_ms = {}
            for kind, path in pages.items():
                t = time.monotonic()
                status, body = server.get(path)
                fetch_ms[kind] = round((time.monotonic() - t) * 1000, 2)
                if status != 200 or html.escape(plan["headline"], quote=False).encode() not in body:
                    raise BenchError(f"{tool}: {path} (status {status}) does not show the headline "
                                     f"{plan['headline']!r} of {plan['entry']} before the edit")
            server.settle()
            before = len(server.rebuild_times())
            rel = plan["chronicle_file"] if tool == "chronicle" else plan["hugo_file"]
            edit(site, rel, regex_for(plan["entry"]), marker)
            t0 = time.monotonic()
            seen = poll_pages(server, pages, marker.encode(), t0, opts)
            if len(seen) < len(pages):
                missing = ", ".join(p for k, p in pages.items() if k not in seen)
                raise BenchError(f"{tool}: edit {i + 1} ({plan['stem']}) not visible on "
                                 f"{missing} after {opts.timeout:.0f} s; "
                                 f"the end of the server's log:\n{server.log_tail()}")
            seen["both"] = max(seen["article"], seen["day"])
            # A server may serve new pages before its rebuild is over (Hugo
            # does): wait until it says it is done, then until it is quiet.
            deadline = time.monotonic() + opts.timeout
            while len(server.rebuild_times()) <= before and time.monotonic() < deadline:
                server.check_alive()
                time.sleep(0.05)
            time.sleep(opts.gap)
            server.settle()
            rebuilds = server.rebuild_times()[before:]
            result["edits"].append({
                "article": plan["stem"], "entry": plan["entry"], "day": plan["day"],
                "file": rel, "marker": marker,
                **{f"{k}_ms": round(seen[k], 1) for k in KINDS},
                "get_ms_before": fetch_ms,
                "server_rebuilds_ms": rebuilds,
            })
            print(f"   {tool} edit {i + 1}/{len(plans)}: article {seen['article']:.0f} ms, "
                  f"day {seen['day']:.0f} ms (server reported {rebuilds} ms)", file=sys.stderr)
        result["peak_rss_kib"] = vm_kib(server.proc.pid, "VmHWM")
    finally:
        server.stop()
        result["log_tail"] = server.log_tail(40)
        server.log.close()
        shutil.rmtree(site, ignore_errors=True)
    result["summary"] = {k: summarise([e[f"{k}_ms"] for e in result["edits"]]) for k in KINDS}
    result["summary"]["server_reported_rebuild"] = summarise(
        [sum(e["server_rebuilds_ms"]) for e in result["edits"] if e["server_rebuilds_ms"]])
    return result


# --------------------------------------------------------------- report

def summarise(xs):
    if not xs:
        return None
    s = sorted(xs)
    return {"n": len(s), "median": round(statistics.median(s), 1), "min": s[0], "max": s[-1],
            "p90": s[max(0, math.ceil(0.9 * len(s)) - 1)]}  # nearest rank


def table(results):
    lines = ["| tool | page | median ms | min | p90 | max | startup s | peak RSS MiB |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for tool, r in results["tools"].items():
        for k in KINDS:
            s = r["summary"][k]
            lines.append(f"| {tool} | {k} | {s['median']:.0f} | {s['min']:.0f} | {s['p90']:.0f} | {s['max']:.0f} "
                         f"| {r['startup_s']:.1f} | {(r['peak_rss_kib'] or 0) / 1024:.0f} |")
    for tool, r in results["tools"].items():
        s = r["summary"]["server_reported_rebuild"]
        if s:
            lines.append(f"{tool}: rebuild time the server reports, median {s['median']:.0f} ms "
                         f"(min {s['min']:.0f}, max {s['max']:.0f})")
    for k, v in results.get("ratio_chronicle_over_hugo", {}).items():
        lines.append(f"chronicle/Hugo, median {k}: {v:.3f}")
    return "\n".join(lines)


# --------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--size", type=int, default=10000,
                     help="use the cached corpus of this many articles under bench/corpus/ (default 10000)")
    src.add_argument("--corpus", help="a corpus directory holding chronicle/ and hugo/")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed with --size, and the seed choosing the edits")
    ap.add_argument("--edits", type=int, default=20, help="edits per tool (default 20)")
    ap.add_argument("--tools", default="chronicle,hugo", help="comma-separated, run in this order (default chronicle,hugo)")
    ap.add_argument("--chronicle", default=os.path.join(REPO, "target", "release", "chronicle"),
                    help="the chronicle binary (default target/release/chronicle)")
    ap.add_argument("--hugo", default=shutil.which("hugo") or "/usr/bin/hugo", help="the hugo binary")
    ap.add_argument("--hugo-arg", action="append", default=[],
                    help="an extra argument for `hugo server`, e.g. --hugo-arg=--disableFastRender (repeatable)")
    ap.add_argument("--out", help="JSON results (default bench/results/serve-edit-<UTC time>.json)")
    ap.add_argument("--poll", type=float, default=0.002, help="seconds between polls at first (default 0.002); later polls come "
                    "every 1%% of the time since the write, at most every 50 ms")
    ap.add_argument("--gap", type=float, default=0.3,
                    help="seconds to wait after an edit shows (and until the server's log is quiet) before the next (default 0.3)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds an edit may take to show (default 120)")
    ap.add_argument("--startup-timeout", type=float, default=900, help="seconds the first build may take (default 900)")
    opts = ap.parse_args()

    tools = [t.strip() for t in opts.tools.split(",") if t.strip()]
    for t in tools:
        if t not in TOOLS:
            ap.error(f"unknown tool {t!r} (chronicle, hugo)")
    if opts.edits < 1:
        ap.error("--edits must be at least 1")
    if "chronicle" in tools and not os.access(opts.chronicle, os.X_OK):
        ap.error(f"{opts.chronicle} is not there; run `cargo build --release` first")
    if "hugo" in tools and not (opts.hugo and os.access(opts.hugo, os.X_OK)):
        ap.error("hugo is not installed (apt-get install hugo)")

    # SIGTERM as Ctrl-C: unwind, so that servers stop and scratch goes.
    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored

    scratch = None
    try:
        corpus = os.path.abspath(opts.corpus) if opts.corpus else find_corpus(opts.size, opts.seed)
        for t in tools:
            if not os.path.isdir(os.path.join(corpus, t)):
                raise BenchError(f"{corpus} has no {t}/ site")
        plans = plan_edits(corpus, opts.edits, opts.seed)
        scratch = tempfile.mkdtemp(prefix="serve-edit-", dir=os.environ.get("TMPDIR") or "/tmp")
        results = {
            "corpus": corpus, "edits": opts.edits, "seed": opts.seed, "poll_s": opts.poll, "gap_s": opts.gap,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"cpus": os.cpu_count(), "loadavg_start": os.getloadavg()},
            "tools": {},
        }
        print(f"== corpus {corpus}, {opts.edits} edits, scratch {scratch}", file=sys.stderr)
        for t in tools:
            results["tools"][t] = run_tool(t, opts, corpus, scratch, plans)
        results["machine"]["loadavg_end"] = os.getloadavg()
        if "chronicle" in results["tools"] and "hugo" in results["tools"]:
            c, h = results["tools"]["chronicle"]["summary"], results["tools"]["hugo"]["summary"]
            results["ratio_chronicle_over_hugo"] = {
                k: round(c[k]["median"] / h[k]["median"], 4) if h[k]["median"] else None for k in KINDS}
        out = opts.out or os.path.join(HERE, "results", time.strftime("serve-edit-%Y%m%dT%H%M%SZ.json", time.gmtime()))
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
            f.write("\n")
        print(table(results))
        print(f"(raw results: {out})")
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
