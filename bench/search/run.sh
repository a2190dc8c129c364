#!/usr/bin/env bash
# Search benchmark: chronicle's search (search.js on its fragment index)
# beside Pagefind, on the same built pages, in headless Chromium: bytes
# fetched and time to the first result, for a few queries, at each size.
# See docs/benchmarks.md, "Search".
#
#   bench/search/run.sh                  # 1,000, 10,000 and 100,000 articles
#   bench/search/run.sh 1000 10000       # some sizes
#
# Options:
#   --runs N        cold runs of each query and tool (default 5); medians are quoted
#   --seed S        corpus seed (default 1)
#   --no-build      do not run `cargo build --release` first
#   --no-pagefind   chronicle only
#
# Needs Chromium and tests/browser/node_modules (tests/browser/setup.sh),
# Python 3 (the corpus generator) and npm: Pagefind (the npm package
# `pagefind`, version $PAGEFIND_VERSION) is installed into
# bench/search/node_modules, which git ignores. Corpora are cached under
# bench/corpus/ (git-ignored) as bench/run.sh caches them; sites are built
# into a temporary directory under $TMPDIR (default /tmp) and removed
# after; raw runs go to bench/results/search-<time>.jsonl (git-ignored).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$BENCH/search"
REPO="$(dirname "$BENCH")"
RUNS=5
SEED=1
BUILD=1
PAGEFIND=1
PAGEFIND_VERSION="${PAGEFIND_VERSION:-1.6.0}"
SIZES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-pagefind) PAGEFIND=0; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) SIZES+=("$1"); shift ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && [ -d "$REPO/tests/browser/node_modules/playwright-core" ] \
  || { echo "run tests/browser/setup.sh first (Chromium and playwright-core)" >&2; exit 2; }

if [ "$BUILD" = 1 ]; then
  echo "== cargo build --release" >&2
  (cd "$REPO" && cargo build --release --quiet)
fi
CHRONICLE="${CARGO_TARGET_DIR:-$REPO/target}/release/chronicle"
[ -x "$CHRONICLE" ] || { echo "no chronicle binary at $CHRONICLE" >&2; exit 1; }

PF="$HERE/node_modules/.bin/pagefind"
if [ "$PAGEFIND" = 1 ] && ! "$PF" --version 2>/dev/null | grep -qx "pagefind $PAGEFIND_VERSION"; then
  echo "== npm install pagefind@$PAGEFIND_VERSION into $HERE/node_modules" >&2
  (cd "$HERE" && npm install --no-save --no-audit --no-fund --no-package-lock "pagefind@$PAGEFIND_VERSION" >&2)
fi

echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "chronicle: $(cd "$REPO" && git rev-parse --short HEAD)$( [ -z "$(cd "$REPO" && git status --porcelain -- src themes)" ] || echo ' + uncommitted changes'); $("$CHROMIUM" --version 2>/dev/null | head -1)" >&2
[ "$PAGEFIND" = 0 ] || echo "pagefind: $("$PF" --version)" >&2

gen_hash="$(sha256sum "$BENCH/gen_corpus.py" | cut -c1-10)"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/chronicle-search-bench.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$BENCH/results"
RAW="$BENCH/results/search-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

for n in "${SIZES[@]}"; do
  corpus="$BENCH/corpus/search-$n-seed$SEED-$gen_hash"
  if [ ! -f "$corpus/done" ]; then
    echo "== generating $n articles into $corpus" >&2
    rm -rf "$corpus" && mkdir -p "$corpus"
    t0=$SECONDS
    python3 "$BENCH/gen_corpus.py" --articles "$n" --seed "$SEED" --out "$corpus/chronicle" \
      2> "$corpus/summary.json" || { cat "$corpus/summary.json" >&2; exit 1; }
    echo "   $(cat "$corpus/summary.json") in $((SECONDS - t0)) s" >&2
    touch "$corpus/done"
  fi
  # The theme of the chronicle under test (search.js is in it), copied: a
  # site may not link outside itself.
  rm -rf "$corpus/chronicle/themes/default"
  cp -r "$REPO/themes/default" "$corpus/chronicle/themes/default"

  site="$SCRATCH/site-$n"
  echo "== $n articles: chronicle build" >&2
  t0=$(date +%s.%N)
  "$CHRONICLE" build --root "$corpus/chronicle" --output "$site" --base-url / --force --quiet
  t1=$(date +%s.%N)
  index_files=$(find "$site/search" -name '*.js' | wc -l)
  index_bytes=$(find "$site/search" -name '*.js' -printf '%s\n' | awk '{s+=$1} END {print s}')
  echo "   built in $(echo "$t1 - $t0" | bc) s; search index: $index_files files, $index_bytes bytes" >&2
  printf '{"size":%s,"tool":"chronicle","index_files":%s,"index_bytes":%s}\n' "$n" "$index_files" "$index_bytes" >> "$RAW"
  if [ "$PAGEFIND" = 1 ]; then
    # The pages that hold what chronicle's search finds: the day pages
    # (the entries) and the article pages; the other pages repeat them.
    echo "== $n articles: pagefind --glob '{days,articles}/**/*.html'" >&2
    t0=$(date +%s.%N)
    status=0
    "$PF" --site "$site" --output-subdir pagefind --glob "{days,articles}/**/*.html" > "$SCRATCH/pagefind.log" 2>&1 \
      || status=$?
    t1=$(date +%s.%N)
    if [ "$status" = 0 ]; then
      pf_files=$(find "$site/pagefind" -type f | wc -l)
      pf_bytes=$(find "$site/pagefind" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
      echo "   $(grep -m1 'Indexed [0-9]* pages' "$SCRATCH/pagefind.log" | sed 's/^ *//') in $(echo "$t1 - $t0" | bc) s; $pf_files files, $pf_bytes bytes" >&2
      printf '{"size":%s,"tool":"pagefind","index_files":%s,"index_bytes":%s}\n' "$n" "$pf_files" "$pf_bytes" >> "$RAW"
    else
      # At 100,000 articles Pagefind 1.6.0 needed more than the 23 GiB of
      # the machine of docs/benchmarks.md and was killed: chronicle alone.
      echo "   pagefind failed (exit $status) after $(echo "$t1 - $t0" | bc) s; measuring chronicle alone:" >&2
      tail -3 "$SCRATCH/pagefind.log" >&2
      printf '{"size":%s,"tool":"pagefind","failed":%s}\n' "$n" "$status" >> "$RAW"
      rm -rf "$site/pagefind"
    fi
  fi
  echo "== $n articles: $RUNS cold runs of each query in Chromium" >&2
  node "$HERE/measure.mjs" --site "$site" --size "$n" --runs "$RUNS" --chromium "$CHROMIUM" >> "$RAW"
  rm -rf "$site"
done

python3 "$HERE/report.py" "$RAW"
echo "raw runs: $RAW" >&2
