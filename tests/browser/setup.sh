#!/usr/bin/env bash
# Installs what the browser tests need, once per machine: Debian's Chromium
# (if /usr/bin/chromium is missing), Debian's Node.js and npm (if node is
# missing) and the npm packages of package-lock.json (playwright-core,
# axe-core, @knight-lab/timelinejs) into tests/browser/node_modules (if missing or installed from
# another lock file). Then
#     cargo test --features browser-tests --test browser
# drives Chromium and runs search.js under Node (tests/browser/main.rs);
# `.ci/run` runs both after `cargo test`.
#
# Environment:
#   CHROMIUM   Chromium to drive (default /usr/bin/chromium; not installed
#              when set to another path)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"

chromium="${CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$chromium" ]; then
    if [ "$chromium" != /usr/bin/chromium ]; then
        echo "browser tests: CHROMIUM=$chromium is not an executable" >&2
        exit 2
    fi
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "browser tests: Chromium is missing and installing it needs root or sudo" >&2
            exit 2
        fi
        sudo_cmd=(sudo)
    fi
    echo "== installing Chromium (Debian's chromium package)"
    started=$SECONDS
    # env, not export: sudo drops the caller's environment.
    timeout 600 "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    timeout 1200 "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
    echo "(installed in $((SECONDS - started))s)"
fi
# Chromium's launcher script is chatty on some setups; the version is enough.
echo "browser: $("$chromium" --version 2>/dev/null | head -n1)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; }; then
        echo "browser tests: node and npm are needed (Node.js 20 or later)" >&2
        exit 2
    fi
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    echo "== installing Node.js and npm (Debian's nodejs and npm packages)"
    timeout 600 "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    timeout 1200 "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "browser tests: Node.js 20 or later is needed, found $(node --version)" >&2
    exit 2
fi

# npm ci only when node_modules is missing or was installed from another lock file.
stamp="$here/node_modules/.installed-package-lock.json"
if ! cmp -s "$here/package-lock.json" "$stamp"; then
    echo "== npm ci (tests/browser)"
    (cd "$here" && timeout 600 npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$stamp"
fi

