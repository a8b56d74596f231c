#!/usr/bin/env bash
# Real-browser test of the dashboard: headless Chromium against the real monitord.
#   Tests/browser/run.sh                               # the acceptance test (.ci/run calls this)
#   Tests/browser/run.sh --screenshot docs/dashboard.png --soak 90   # refresh the README screenshot
# Env: MONITORD_BIN (skip the build and use this binary), CHROMIUM (the browser binary).
set -euo pipefail
cd "$(dirname "$0")/../.."

browser=$(Tests/browser/chromium.sh)
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
