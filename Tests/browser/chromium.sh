#!/usr/bin/env bash
# Prints the path of a headless Chromium, installing Debian's chromium-headless-shell (or
# chromium) first when there is none. Used by Tests/browser/run.sh and .ci/tls-e2e.py, so each
# runs on a fresh machine in any order. Env: CHROMIUM (a browser binary to use instead).
set -euo pipefail

find_browser() {
    local b
    for b in "${CHROMIUM:-}" chromium-headless-shell chromium; do
        [ -n "$b" ] && command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }
    done
    # Debian installs the headless shell outside PATH on some releases.
    for b in /usr/lib/chromium/chromium-headless-shell /usr/lib/chromium/chromium; do
        [ -x "$b" ] && { echo "$b"; return 0; }
    done
    return 1
}

if ! find_browser; then
    echo "Chromium not found: installing Debian's chromium-headless-shell" >&2
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >&2 \
        || $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    find_browser || { echo "could not install Chromium" >&2; exit 1; }
fi
