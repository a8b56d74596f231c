#!/usr/bin/env bash
# deploy/systemd/monitord.service passes `systemd-analyze verify` with no warning (an unknown or
# misspelt key is only a warning there, so any output fails the check), with ExecStart pointed
# at the built binary, and the default config validates with the unit's environment.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${MONITORD_BINARY:-.build/debug/monitord}
[ -x "$BIN" ] || swift build --product monitord

source .ci/lib.sh  # check_harness, fail
check_harness systemd-check
need systemd-analyze systemd

sed "s|^ExecStart=/usr/local/bin/monitord|ExecStart=$(realpath "$BIN")|" deploy/systemd/monitord.service >"$WORK/monitord.service"
grep -q "^ExecStart=$(realpath "$BIN") run" "$WORK/monitord.service" || fail "the unit's ExecStart is not /usr/local/bin/monitord run ..."
if ! systemd-analyze verify "$WORK/monitord.service" >"$WORK/verify.out" 2>&1 || [ -s "$WORK/verify.out" ]; then
    cat "$WORK/verify.out"
    fail "systemd-analyze verify deploy/systemd/monitord.service"
fi
CACHE_DIR=/var/lib/monitord/cache "$BIN" validate -c config/monitord.yaml >/dev/null || fail "the default config does not validate with the unit's CACHE_DIR"
echo "systemd-check: ok: deploy/systemd/monitord.service passes systemd-analyze verify ($(grep -c '^[A-Za-z]*=' deploy/systemd/monitord.service) settings)"
