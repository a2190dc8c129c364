#!/bin/sh
# Times `chronicle import` of a 1 MB HTML page (bench/extract/big_page.py):
# RUNS imports (default 9) into a scratch site, the median wall time printed.
# Usage: bench/extract/time-import.sh [path/to/chronicle] [RUNS]
set -e
bin=${1:-target/release/chronicle}
runs=${2:-9}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$(dirname "$0")/big_page.py" "$dir/big.html" >/dev/null
mkdir -p "$dir/site"
: > "$dir/site/site.toml"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" import --root "$dir/site" --force --quiet "$dir/big.html" >/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
done | sort -n | awk '{ t[NR] = $1 } END { printf "%d runs of a %s-byte page: median %d ms, fastest %d ms, slowest %d ms\n", NR, size, t[int((NR + 1) / 2)], t[1], t[NR] }' size="$(wc -c < "$dir/big.html")"
