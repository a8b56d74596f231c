#!/usr/bin/env bash
# Real-browser test of the dashboard: headless Chromium against the real monitord.
#   Tests/browser/run.sh                               # the acceptance test (.ci/run calls this)
#   Tests/browser/run.sh --screenshot docs/dashboard.png --soak 90   # refresh the README screenshot
# Env: MONITORD_BIN (skip the build and use this binary), CHROMIUM (the browser binary).
set -euo pipefail
cd "$(dirname "$0")/../.."

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

if ! browser=$(find_browser); then
    echo "Chromium not found: installing Debian's chromium-headless-shell" >&2
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell \
        || $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    browser=$(find_browser) || { echo "could not install Chromium" >&2; exit 1; }
fi
command -v curl >/dev/null || { echo "curl is needed for the data-plane traffic" >&2; exit 1; }

if [ -n "${MONITORD_BIN:-}" ]; then
    bin="$MONITORD_BIN"
else
    # Always build: the page is embedded in the binary, so a stale binary would test a stale page.
    swift=${SWIFT:-swift}
    "$swift" build --product monitord 2>&1 | tail -3
    bin="$("$swift" build --show-bin-path)/monitord"
fi
[ -x "$bin" ] || { echo "no monitord binary at $bin" >&2; exit 1; }

echo "browser: $browser ($("$browser" --version 2>/dev/null | head -1))"
echo "monitord: $bin"
exec python3 Tests/browser/dashboard_test.py --monitord "$bin" --browser "$browser" "$@"
