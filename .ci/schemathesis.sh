#!/usr/bin/env bash
# Checks the committed OpenAPI document against a live monitord with schemathesis (PyPI): starts
# the real binary on a free port with a scratch cache, runs `schemathesis run` on
# Sources/SinkHTTP/Resources/openapi.yaml with a fixed seed and a bounded number of examples per
# operation, checking `not_a_server_error` (no 5xx) and `response_schema_conformance` (every
# answer matches its documented schema), and fails on any failure. Installs schemathesis into
# .build-tools/venv when it is not on PATH.
#
# Excluded: GET /api/events (operationId streamEvents). It is a Server-Sent Events stream that
# stays open until the client leaves, so a request never completes and there is no response body
# to validate; its schema is kept right by hand and its behaviour by EventStreamTests.
#
# Env: SCHEMATHESIS_EXAMPLES (per operation, default 40), SCHEMATHESIS_SEED (default 20261202),
# OPENAPI_DOCUMENT (default the committed one), MONITORD_BINARY (default .build/debug/monitord).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
ST=$(command -v schemathesis || true)
if [ -z "$ST" ]; then
    VENV=.build-tools/venv
    if [ ! -x "$VENV/bin/schemathesis" ]; then
        echo "schemathesis: installing schemathesis into $VENV with pip"
        if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
            $SUDO apt-get update -q >/dev/null
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv python3-pip >/dev/null
            rm -rf "$VENV"; python3 -m venv "$VENV"
        fi
        "$VENV/bin/pip" install -q schemathesis
    fi
    ST="$PWD/$VENV/bin/schemathesis"  # absolute: the run happens in the scratch directory
fi
BIN=${MONITORD_BINARY:-.build/debug/monitord}
DOCUMENT=$(realpath "${OPENAPI_DOCUMENT:-Sources/SinkHTTP/Resources/openapi.yaml}")
[ -x "$BIN" ] || swift build --product monitord

source .ci/lib.sh  # free_port, check_harness, fail, start_monitord
check_harness schemathesis

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
# The default config's shape: the cache and the internal source, so both kinds of stats answer.
cat >"$WORK/monitord.yaml" <<YAML
monitord: { log_level: warn }
sources:
  cache: { type: cache, cache_dir: "$WORK/cache", interval: 1s, max_memory_size: 50 }
  internal: { type: internal, interval: 1s }
sinks:
  api: { type: http, port: $PORT, max_body_size: 64KiB }
YAML

start_monitord
# A stored entry and a sample in the history, so reads have something to find.
curl -fsS -X PUT --data-binary 'seed value' "$BASE/api/cache/entries/cache" >/dev/null
sleep 1.2

cd "$WORK"  # schemathesis writes its report directory into the working directory
status=0
"$ST" run "$DOCUMENT" --url "$BASE" \
    --checks not_a_server_error,response_schema_conformance \
    --exclude-operation-id streamEvents \
    --phases examples,coverage,fuzzing \
    --seed "${SCHEMATHESIS_SEED:-20261202}" --max-examples "${SCHEMATHESIS_EXAMPLES:-40}" \
    --workers 2 --request-timeout 10 --suppress-health-check too_slow,filter_too_much \
    --no-color >"$WORK/schemathesis.out" 2>&1 || status=$?
cd "$OLDPWD"
kill -0 "$MD_PID" 2>/dev/null || { tail -n 60 "$WORK/schemathesis.out"; fail "monitord died during the run"; }
if [ "$status" -ne 0 ]; then
    tail -n 80 "$WORK/schemathesis.out"
    fail "schemathesis reported failures (exit $status)"
fi
tail -n 12 "$WORK/schemathesis.out"
echo "schemathesis: ok: 0 failures"
