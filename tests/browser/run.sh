#!/usr/bin/env bash
# Browser tests by hand, from a fresh machine: setup.sh (Chromium, npm
# packages), then builds the shipped site into target/browser-site for a
# loopback address and runs run.mjs, which serves it, loads the pages
# headless, and writes screenshots to target/browser/. `cargo test
# --features browser-tests --test browser` does the same without the set-up
# (tests/browser/chromium.rs), and runs search.js under Node as well.
#
# Environment:
#   CHROMIUM              Chromium to drive (default /usr/bin/chromium)
#   CHRONICLE_BIN         a built chronicle binary to use instead of `cargo run`
#   BROWSER_TEST_PORT     loopback port to serve on (default: a free one)
#   BROWSER_TEST_TIMEOUT  seconds the whole page run may take (default 900)
# Arguments are passed on to run.mjs (e.g. `--only home,search`).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

chromium="${CHROMIUM:-/usr/bin/chromium}"
site="$root/target/browser-site"
out="$root/target/browser"
"$here/setup.sh"

port="${BROWSER_TEST_PORT:-}"
if [ -z "$port" ]; then
    port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
fi
base_url="http://127.0.0.1:$port/chronicle/"

echo "== building the shipped site into target/browser-site for $base_url"
if [ -n "${CHRONICLE_BIN:-}" ]; then
    timeout 600 "$CHRONICLE_BIN" build --quiet --output "$site" --base-url "$base_url"
else
    timeout 1800 cargo run --quiet --locked -- build --quiet --output "$site" --base-url "$base_url"
fi

echo "== loading pages in headless Chromium"
node_pid=""
cleanup() {
    if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
        kill "$node_pid" 2>/dev/null || true
        wait "$node_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The server runs inside run.mjs: ending it (or timing it out) ends the server.
timeout --kill-after=15 "${BROWSER_TEST_TIMEOUT:-900}" \
    node "$here/run.mjs" --site "$site" --out "$out" --chromium "$chromium" --base-url "$base_url" "$@" &
node_pid=$!
status=0
wait "$node_pid" || status=$?
node_pid=""
if [ "$status" -eq 124 ]; then
    echo "browser tests: timed out after ${BROWSER_TEST_TIMEOUT:-900}s" >&2
fi
echo "browser tests: run.sh took ${SECONDS}s in all"
exit "$status"
