#!/usr/bin/env python3
"""Summarises a search benchmark's raw runs (bench/search/run.sh writes
them, one JSON object a line) as Markdown tables: per size and query, the
median time to first result and bytes fetched of chronicle and Pagefind,
and their ratios.

    bench/search/report.py bench/results/search-<time>.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def kb(n):
    return f"{n / 1000:,.1f} kB"


def main(path):
    runs = defaultdict(list)
    index = {}
    queries = defaultdict(list)
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        if "failed" in row:
            index[(row["size"], row["tool"])] = row
            continue
        if "index_files" in row:
            index[(row["size"], row["tool"])] = row
            continue
        key = (row["size"], row["query"], row["tool"], row["to"])
        runs[key].append(row)
        if row["query"] not in queries[row["size"]]:
            queries[row["size"]].append(row["query"])

    def med(key, field):
        rows = runs.get(key)
        return statistics.median(r[field] for r in rows) if rows else None

    print("| articles | index | files | bytes on disk |")
    print("| ---: | --- | ---: | ---: |")
    for (size, tool), row in sorted(index.items()):
        if "failed" in row:
            print(f"| {size:,} | {tool} | failed (exit {row['failed']}) | |")
        else:
            print(f"| {size:,} | {tool} | {row['index_files']:,} | {row['index_bytes'] / 1e6:,.1f} MB |")
    print()
    print("| articles | query | chronicle: time, fetched (requests), results | Pagefind: time, fetched (requests), results | time ratio | bytes ratio | chronicle, page of 20: time, fetched |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size in sorted(queries):
        for q in queries[size]:
            c = (size, q, "chronicle", "first")
            p = (size, q, "pagefind", "first")
            g = (size, q, "chronicle", "page")
            cells = []
            for k in (c, p):
                if k in runs:
                    cells.append(
                        f"{med(k, 'ms'):.0f} ms, {kb(med(k, 'bytes'))} ({med(k, 'requests'):.0f}), {med(k, 'count'):.0f}"
                    )
                else:
                    cells.append("")
            if p in runs:
                tr = f"{med(c, 'ms') / med(p, 'ms'):.2f}×"
                br = f"{med(c, 'bytes') / med(p, 'bytes'):.2f}×"
            else:
                tr = br = ""
            page = f"{med(g, 'ms'):.0f} ms, {kb(med(g, 'bytes'))}" if g in runs else ""
            print(f"| {size:,} | {q} | {cells[0]} | {cells[1]} | {tr} | {br} | {page} |")
    n = max((len(v) for v in runs.values()), default=0)
    print()
    print(f"Medians of {n} cold runs each; ratios are chronicle / Pagefind.")


if __name__ == "__main__":
    main(sys.argv[1])
