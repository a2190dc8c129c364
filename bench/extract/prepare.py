#!/usr/bin/env python3
"""Builds an evaluation directory for `extract-score` from a public
extraction test suite, outside the repository (its pages are other
people's: never commit them).

    prepare.py scrapinghub SRC OUT   # SRC: a checkout of
        # github.com/scrapinghub/article-extraction-benchmark
        # (html/*.html.gz, ground-truth.json)

    prepare.py trafilatura-meta SRC OUT   # SRC: a checkout of
        # github.com/adbar/trafilatura: the pages of tests/cache/ whose
        # title (and date) tests/realworld_tests.py asserts

    prepare.py fundus SRC OUT   # SRC: a checkout of
        # github.com/flairNLP/fundus: tests/resources/parser/test_data/,
        # one or two saved pages per publisher (CC/Publisher_DATE.html.gz)
        # with what its hand-written parser extracts (CC/Publisher.json:
        # title, publishing_date, body); 258 pages of 181 publishers in 41 countries

    prepare.py htmldate SRC OUT   # SRC: a checkout of
        # github.com/adbar/htmldate: tests/eval/ and tests/eval_default.json,
        # 800 pages (blogs, news, institutions) with their publication
        # date found by hand; dates only

OUT gets pages/NAME.html and truth.json ({"NAME": {"body": ...}}, with
"date" when the page's address holds one (/2019/11/18/), or
{"NAME": {"title": ..., "date": ...}} for the metadata set, whose F1 column
means nothing).
"""
import gzip
import json
import re
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
        # A date in the page's address (/2019/11/18/) is its publication
        # date: the date column is scored on those pages.
        import re
        m = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", item.get("url", ""))
        if m:
            result[name]["date"] = "-".join(m.groups())
    (out / "truth.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{len(result)} pages in {out}")


def trafilatura_meta(src: Path, out: Path) -> None:
    import ast
    import re
    tests = (src / "tests" / "realworld_tests.py").read_text()
    start = tests.index("MOCK_PAGES = {")
    end = tests.index("}", start)
    pages = ast.literal_eval(tests[start + len("MOCK_PAGES = "):end + 1])
    (out / "pages").mkdir(parents=True, exist_ok=True)
    result = {}
    # Each page's metadata test: the page loaded, then what is asserted of it.
    blocks = re.split(r"load_mock_page_meta\(", tests)[1:]
    for block in blocks:
        url = re.match(r'\s*"([^"]+)"', block)
        if not url or url.group(1) not in pages:
            continue
        body = block.split("load_mock_page", 1)[0]
        title = re.search(r'metadata\.title == "((?:[^"\\]|\\.)*)"', body) or re.search(
            r"metadata\.title == '((?:[^'\\]|\\.)*)'", body)
        date = re.search(r'metadata\.date == "(\d{4}-\d{2}-\d{2})"', body)
        if not title:
            continue
        file = pages[url.group(1)]
        page = src / "tests" / "cache" / file
        if not page.exists():
            continue
        name = re.sub(r"[^A-Za-z0-9.-]", "_", file.removesuffix(".html"))
        (out / "pages" / f"{name}.html").write_bytes(page.read_bytes())
        item = {"body": "", "title": ast.literal_eval('"' + title.group(1) + '"')}
        if date:
            item["date"] = date.group(1)
        result[name] = item
    (out / "truth.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{len(result)} pages in {out}")


def fundus(src: Path, out: Path) -> None:
    import html as htmlmod
    import re
    data = src / "tests" / "resources" / "parser" / "test_data"
    (out / "pages").mkdir(parents=True, exist_ok=True)
    result = {}
    for country in sorted(p for p in data.iterdir() if p.is_dir()):
        pages: dict = {}
        for page in sorted(country.glob("*.html.gz")):
            publisher = page.name.rsplit("_", 3)[0]
            pages.setdefault(publisher, []).append(page)
        for publisher, files in pages.items():
            truth_file = country / f"{publisher}.json"
            if not truth_file.exists():
                continue
            # One extraction per parser version, in the order of the pages'
            # crawl dates (the suite picks the version by that date).
            versions = list(json.loads(truth_file.read_text()).values())
            if len(versions) != len(files):
                continue
            for page, want in zip(files, versions):
                raw = gzip.decompress(page.read_bytes())
                title = (want.get("title") or "").strip()
                # The pairing is checked: the page must hold the title.
                flat = re.sub(r"\W+", " ", htmlmod.unescape(raw.decode("utf-8", "replace"))).lower()
                if title and re.sub(r"\W+", " ", title).lower().strip() not in flat:
                    print(f"skipped {page.name}: title not in the page")
                    continue
                body = want.get("body") or {}
                parts = list(body.get("summary") or [])
                for section in body.get("sections") or []:
                    parts += section.get("headline") or []
                    parts += section.get("paragraphs") or []
                name = f"{country.name}-{page.name.removesuffix('.html.gz')}"
                (out / "pages" / f"{name}.html").write_bytes(raw)
                item = {"body": "\n\n".join(parts)}
                if title:
                    item["title"] = title
                if want.get("publishing_date"):
                    item["date"] = want["publishing_date"].replace(" ", "T")
                result[name] = item
    (out / "truth.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{len(result)} pages in {out}")


def htmldate(src: Path, out: Path) -> None:
    truth = json.loads((src / "tests" / "eval_default.json").read_text())
    (out / "pages").mkdir(parents=True, exist_ok=True)
    result = {}
    for url, item in truth.items():
        page = src / "tests" / "eval" / item["file"]
        if not page.exists() or not item.get("date"):
            continue
        name = re.sub(r"[^A-Za-z0-9.-]", "_", item["file"].removesuffix(".html"))
        (out / "pages" / f"{name}.html").write_bytes(page.read_bytes())
        result[name] = {"body": "", "date": item["date"]}
    (out / "truth.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{len(result)} pages in {out}")


if __name__ == "__main__":
    kind, src, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    {
        "scrapinghub": scrapinghub,
        "trafilatura-meta": trafilatura_meta,
        "fundus": fundus,
        "htmldate": htmldate,
    }[kind](src, out)
