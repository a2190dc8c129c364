#!/usr/bin/env bash
# Side-by-side benchmark: chronicle and Hugo building the same synthetic
# chronicle, at one or more sizes. See docs/benchmarks.md.
#
#   bench/run.sh                 # 1,000 and 10,000 articles, both tools
#   bench/run.sh 1000            # one size
#   bench/run.sh --large         # 1,000, 10,000 and 100,000 (the last chronicle only)
#   bench/run.sh --large 1000000 # and 1,000,000 too (chronicle only; the corpus is about 7 GB)
#   bench/run.sh --hugo-max 100000 100000   # Hugo at 100,000 too (very slow; see the docs)
#
# Options:
#   --runs N            builds per tool and size, the first discarded as warm-up (default 5)
#   --seed S            corpus seed (default 1)
#   --large [N]         add 100000 to the sizes (the defaults, or those given), and N too
#                       when a number above 100000 follows
#   --hugo-max N        build the Hugo site only at sizes <= N (default 30000)
#   --hugo-style S      current: the Hugo site mirrors the default theme since fd1b054
#                       (compact lists, pagination; the default); full: the theme before
#                       it (full entry cards on every page, no pagination)
#   --chronicle-dir D   the chronicle checkout to build and measure (default: this repository)
#   --no-build          do not run `cargo build --release` first
#   --no-check          skip `chronicle check` of each corpus (it costs about one build)
#
# Builds write into a temporary directory under $TMPDIR (default /tmp, on
# disk); TMPDIR=/dev/shm bench/run.sh measures with the output in memory.
#
# Corpora are cached under bench/corpus/ (git-ignored), keyed by size, seed
# and a hash of the generator; raw timings go to bench/results/ (git-ignored).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
RUNS=5
SEED=1
HUGO_MAX=30000
HUGO_STYLE=current
CHRONICLE_DIR="$REPO"
BUILD=1
CHECK=1
LARGE=0
SIZES=()

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --large)
      LARGE=1; shift
      if [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -gt 100000 ]; then LARGEST="$1"; shift; fi ;;
    --hugo-max) HUGO_MAX="$2"; shift 2 ;;
    --hugo-style) HUGO_STYLE="$2"; shift 2 ;;
    --chronicle-dir) CHRONICLE_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-check) CHECK=0; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) SIZES+=("$1"); shift ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
[ "$LARGE" = 0 ] || SIZES+=(100000)
[ -z "${LARGEST:-}" ] || SIZES+=("$LARGEST")
case "$HUGO_STYLE" in
  current) HUGO_CONFIG=hugo.toml ;;
  full) HUGO_CONFIG="hugo.toml,$BENCH/hugo/full.toml" ;;
  *) echo "--hugo-style is current or full" >&2; exit 2 ;;
esac
if [ "$RUNS" -lt 2 ]; then echo "--runs must be at least 2 (the first is a warm-up)" >&2; exit 2; fi

# ------------------------------------------------------------------ tools
need_apt=()
command -v hugo >/dev/null 2>&1 || need_apt+=(hugo)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]} from Debian's packages"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "$BUILD" = 1 ]; then
  echo "== cargo build --release in $CHRONICLE_DIR"
  (cd "$CHRONICLE_DIR" && cargo build --release --quiet)
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$CHRONICLE_DIR/target}"
CHRONICLE="$TARGET_DIR/release/chronicle"
THEME="$CHRONICLE_DIR/themes/default"
[ -x "$CHRONICLE" ] || { echo "no chronicle binary at $CHRONICLE" >&2; exit 1; }
HUGO="$(command -v hugo)"

# ------------------------------------------------------------------ machine
cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
mem_total="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
git_rev="$(cd "$CHRONICLE_DIR" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
if [ -n "$(cd "$CHRONICLE_DIR" && git status --porcelain -- src themes Cargo.toml Cargo.lock 2>/dev/null || true)" ]; then
  git_rev="$git_rev + uncommitted changes"
fi
MACHINE="$(cat <<EOF
machine:   $(nproc) CPUs ($cpu_model), $mem_total RAM, Linux $(uname -r)
load:      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start
chronicle: $CHRONICLE ($git_rev), $(rustc --version 2>/dev/null || echo 'rustc ?')
hugo:      $("$HUGO" version | sed 's/ BuildDate.*//'), layouts bench/hugo/layouts, style $HUGO_STYLE
python:    $(python3 --version 2>&1)
EOF
)"
echo "$MACHINE"

# ------------------------------------------------------------------ corpora
gen_hash="$(cat "$BENCH/gen_corpus.py" "$BENCH/hugo/hugo.toml" | sha256sum | cut -c1-10)"
corpus_for() {  # size -> directory holding chronicle/ and hugo/
  local n="$1" dir="$BENCH/corpus/$1-seed$SEED-$gen_hash"
  if [ ! -f "$dir/done" ]; then
    echo "== generating $n articles into $dir" >&2
    rm -rf "$dir" "$dir.tmp"
    mkdir -p "$dir.tmp"
    local t0=$SECONDS hugo_out=(--hugo-out "$dir.tmp/hugo")
    # No Hugo site above 100,000 articles: Hugo would need some 90 GiB for
    # a million (issue 18), and the site would double the disk needed.
    [ "$n" -le 100000 ] || hugo_out=()
    python3 "$BENCH/gen_corpus.py" --articles "$n" --seed "$SEED" \
      --out "$dir.tmp/chronicle" "${hugo_out[@]}" --theme "$THEME" 2> "$dir.tmp/summary.json" \
      || { cat "$dir.tmp/summary.json" >&2; exit 1; }
    echo "   $(cat "$dir.tmp/summary.json") in $((SECONDS - t0)) s" >&2
    mv "$dir.tmp" "$dir"
    touch "$dir/done"
    for old in "$BENCH/corpus/$n-seed$SEED-"*; do  # corpora of an earlier generator
      [ "$old" = "$dir" ] || { echo "   removing $old" >&2; rm -rf "$old"; }
    done
  fi
  # The corpus carries a fresh copy of the theme of the chronicle under test,
  # whichever it is. (A copy: a link would lead out of the site, which the
  # build refuses unless site.toml allows it. This used to be `ln -sfn`,
  # which made a link *inside* the copied directory and left the copy
  # stale: runs measured the theme of the day the corpus was generated.)
  rm -rf "$dir/chronicle/themes/default"
  cp -R "$THEME" "$dir/chronicle/themes/default"
  echo "$dir"
}

# ------------------------------------------------------------------ runs
mkdir -p "$BENCH/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$BENCH/results/$STAMP.tsv"
printf 'size\ttool\trun\twall_s\tpeak_rss_kib\tpages\tbytes\tuser_s\tsys_s\n' > "$RAW"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/chronicle-bench.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

measure() {  # size tool run corpus-dir
  local size="$1" tool="$2" run="$3" dir="$4" out="$SCRATCH/$2-$3" status=0
  mkdir -p "$out"
  if [ "$tool" = chronicle ]; then
    /usr/bin/time -f '%e %M %U %S' -o "$SCRATCH/time" \
      "$CHRONICLE" build --root "$dir/chronicle" --output "$out/site" --quiet > "$SCRATCH/log" 2>&1 || status=$?
  else
    /usr/bin/time -f '%e %M %U %S' -o "$SCRATCH/time" \
      "$HUGO" --quiet --source "$dir/hugo" --config "$HUGO_CONFIG" --destination "$out/site" > "$SCRATCH/log" 2>&1 || status=$?
  fi
  if [ "$status" != 0 ]; then
    echo "!! $tool failed at $size articles (exit $status):" >&2
    head -c 3000 "$SCRATCH/log" >&2
    exit 1
  fi
  local wall rss user sys pages=- bytes=-
  read -r wall rss user sys < <(tail -n1 "$SCRATCH/time")
  if [ "$run" = 1 ]; then  # count once per tool (the output is the same every run)
    # Pages: index.html files, less Hugo's page/1/ redirects to a paginated list's first page.
    pages="$(find "$out/site" -name index.html -not -path '*/page/1/index.html' | wc -l)"
    bytes="$(find "$out/site" -type f -printf '%s\n' | awk '{ n += $1 } END { printf "%.0f\n", n }')"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$tool" "$run" "$wall" "$rss" "$pages" "$bytes" "$user" "$sys" >> "$RAW"
  printf '   %-9s run %d: %7.2f s %8.1f MiB  (user %.1f s, system %.1f s)\n' "$tool" "$run" "$wall" "$(awk "BEGIN {print $rss / 1024}")" "$user" "$sys"
  # The output is removed only after the size's series (below), when the
  # disk has room for it: ext4 skips the inodes deleted in the last minute
  # or more when it makes files and directories (recently_deleted), and
  # removing a 20,000-file site just before the next run made that run pay
  # for it. `perf` put a quarter of a chronicle build's samples there; the
  # slower the run after a removal, the more of the series it skewed.
  sync
  local free_kib
  free_kib="$(df -Pk "$SCRATCH" | awk 'NR == 2 { print $4 }')"
  if [ "$bytes" != - ]; then LAST_BYTES="$bytes"; fi
  if [ "$free_kib" -lt $(( ${LAST_BYTES:-0} / 1024 * 4 + 1048576 )) ]; then
    rm -rf "$out"  # short of room: as before
    sync
  else
    KEPT+=("$out")
  fi
}
KEPT=()

for size in "${SIZES[@]}"; do
  dir="$(corpus_for "$size")"
  tools=(chronicle)
  if [ "$size" -le "$HUGO_MAX" ]; then tools+=(hugo); else echo "== $size articles: Hugo skipped (above --hugo-max $HUGO_MAX)"; fi
  if [ "$CHECK" = 1 ]; then
    echo "== chronicle check, $size articles"
    "$CHRONICLE" check --root "$dir/chronicle" --quiet --format json > "$SCRATCH/check.json" || true
    errors="$(grep -c '"severity":"error"' "$SCRATCH/check.json" || true)"
    warnings="$(grep -c '"severity":"warning"' "$SCRATCH/check.json" || true)"
    echo "   $errors errors, $warnings warnings"
    if [ "$errors" != 0 ]; then
      head -n 5 "$SCRATCH/check.json" | cut -c1-400 >&2
      echo "!! the corpus does not build cleanly with this chronicle; not measuring it" >&2
      exit 1
    fi
  fi
  echo "== $size articles: $RUNS runs each (run 1 is a warm-up), alternating"
  for run in $(seq 1 "$RUNS"); do
    if [ $((run % 2)) = 1 ]; then order=("${tools[@]}"); else order=(); for ((i=${#tools[@]}-1; i>=0; i--)); do order+=("${tools[$i]}"); done; fi
    for tool in "${order[@]}"; do measure "$size" "$tool" "$run" "$dir"; done
  done
  if [ "${#KEPT[@]}" -gt 0 ]; then rm -rf "${KEPT[@]}"; KEPT=(); sync; fi
done

echo
echo "$MACHINE"
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at end"
echo "raw runs:  $RAW"
echo
python3 "$BENCH/report.py" "$RAW"
