#!/usr/bin/env python3
"""Summarise the raw runs bench/run.sh writes (a TSV) into tables.

    bench/report.py bench/results/20260101T000000Z.tsv [MORE.tsv ...]

Run 1 of each tool and size is a warm-up and is left out of the medians.
Several files are read as one (say, a 10,000 and a 100,000 run).
"""

import csv
import statistics
import sys
from collections import defaultdict

MIB = 1024.0


def rows(paths):
    for path in paths:
        with open(path, newline="") as f:
            yield from csv.DictReader(f, delimiter="\t")


def verdict(ok):
    return "met" if ok else "NOT met"


def main(paths):
    runs = defaultdict(list)
    pages, size_bytes = {}, {}
    for row in rows(paths):
        key = (int(row["size"]), row["tool"])
        if row["pages"] != "-":
            pages[key] = int(row["pages"])
            size_bytes[key] = int(float(row["bytes"]))
        if int(row["run"]) > 1:
            # user_s and sys_s: absent from files of before issue 18.
            cpu = None
            if row.get("user_s") not in (None, "", "-") and row.get("sys_s") not in (None, "", "-"):
                cpu = float(row["user_s"]) + float(row["sys_s"])
            runs[key].append((float(row["wall_s"]), int(row["peak_rss_kib"]) / MIB, cpu))
    if not runs:
        sys.exit("no measured runs (only warm-ups?)")
    med = {}
    print("| articles | tool | runs | wall time, median (min–max) | user + system, median | peak memory, median (min–max) | pages (index.html) | output |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key in sorted(runs):
        walls = [w for w, _, _ in runs[key]]
        rss = [m for _, m, _ in runs[key]]
        cpus = [c for _, _, c in runs[key] if c is not None]
        cpu = statistics.median(cpus) if cpus else None
        med[key] = (statistics.median(walls), statistics.median(rss), cpu)
        cpu_text = f"{cpu:.2f} s" if cpu is not None else "not recorded"
        print(f"| {key[0]:,} | {key[1]} | {len(walls)} | {med[key][0]:.2f} s ({min(walls):.2f}–{max(walls):.2f}) "
              f"| {cpu_text} | {med[key][1]:,.0f} MiB ({min(rss):,.0f}–{max(rss):,.0f}) "
              f"| {pages.get(key, 0):,} | {size_bytes.get(key, 0) / MIB / MIB:,.0f} MiB |")
    sizes = sorted({s for s, _ in med})
    print()
    print("| articles | time chronicle/Hugo | user + system chronicle/Hugo | memory chronicle/Hugo | bytes chronicle/Hugo |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for s in sizes:
        if (s, "chronicle") in med and (s, "hugo") in med:
            c, h = med[(s, "chronicle")], med[(s, "hugo")]
            cpu = f"{c[2] / h[2]:.2f}×" if c[2] and h[2] else "not recorded"
            cb, hb = size_bytes.get((s, "chronicle")), size_bytes.get((s, "hugo"))
            by = f"{cb / hb:.2f}×" if cb and hb else "not counted"
            print(f"| {s:,} | {c[0] / h[0]:.2f}× | {cpu} | {c[1] / h[1]:.2f}× | {by} |")
    print()
    print("Targets of issue 18 (shown, never asserted):")
    c10, h10 = med.get((10000, "chronicle")), med.get((10000, "hugo"))
    if c10 and h10:
        t, m = c10[0] / h10[0], c10[1] / h10[1]
        line = (f"- 10,000 articles: time {t:.2f}× Hugo's (target ≤ 0.25×): {verdict(t <= 0.25)}; "
                f"memory {m:.2f}× (target ≤ 0.25×): {verdict(m <= 0.25)}")
        if c10[2] and h10[2]:
            u = c10[2] / h10[2]
            line += f"; user + system {u:.2f}× (target ≤ 0.35×): {verdict(u <= 0.35)}"
        cb, hb = size_bytes.get((10000, "chronicle")), size_bytes.get((10000, "hugo"))
        if cb and hb:
            line += f"; bytes {cb / hb:.2f}× (target ≤ 1×): {verdict(cb <= hb)}"
        print(line)
    else:
        print("- 10,000 articles: not measured for both tools in this run")
    c100 = med.get((100000, "chronicle"))
    if c100 and c10:
        t = c100[0] / c10[0]
        print(f"- 100,000 articles: time {t:.1f}× the 10,000 time (target ≤ 11×): {verdict(t <= 11)}; "
              f"peak memory {c100[1] / 1024:.2f} GiB (target < 1.5 GiB): {verdict(c100[1] < 1.5 * 1024)}")
    else:
        print("- 100,000 articles: needs both 10,000 and 100,000 (run.sh --large, or report.py on both runs' files)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
