#!/usr/bin/env python3
"""Builds an evaluation directory for `extract-score` from a public
extraction test suite, outside the repository (its pages are other
people's: never commit them).

    prepare.py scrapinghub SRC OUT   # SRC: a checkout of
        # github.com/scrapinghub/article-extraction-benchmark
        # (html/*.html.gz, ground-truth.json)

OUT gets pages/NAME.html and truth.json ({"NAME": {"body": ...}}).
"""
import gzip
import json
import sys
from pathlib import Path


def scrapinghub(src: Path, out: Path) -> None:
    truth = json.loads((src / "ground-truth.json").read_text())
    (out / "pages").mkdir(parents=True, exist_ok=True)
    result = {}
    for name, item in truth.items():
        page = src / "html" / f"{name}.html.gz"
        if not page.exists():
            continue
        (out / "pages" / f"{name}.html").write_bytes(gzip.decompress(page.read_bytes()))
        result[name] = {"body": item.get("articleBody", "")}
    (out / "truth.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{len(result)} pages in {out}")


if __name__ == "__main__":
    kind, src, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    {"scrapinghub": scrapinghub}[kind](src, out)
