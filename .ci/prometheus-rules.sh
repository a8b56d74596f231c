#!/usr/bin/env bash
# The Prometheus rule file of the default config: `monitord export prometheus-rules` must give
# exactly deploy/prometheus/monitord-rules.yml (regenerate it when the config's rules change),
# which must pass `promtool check rules` and the unit tests of monitord-rules.test.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${MONITORD_BINARY:-.build/debug/monitord}
[ -x "$BIN" ] || swift build --product monitord

source .ci/lib.sh  # free_port, check_harness, fail
check_harness prometheus-rules
need promtool prometheus

"$BIN" export prometheus-rules -c config/monitord.yaml >"$WORK/rules.yml" || fail "export prometheus-rules failed"
if ! diff -u deploy/prometheus/monitord-rules.yml "$WORK/rules.yml" >"$WORK/diff"; then
    cat "$WORK/diff"
    fail "deploy/prometheus/monitord-rules.yml is not what the default config exports; run: $BIN export prometheus-rules -c config/monitord.yaml > deploy/prometheus/monitord-rules.yml"
fi
promtool check rules deploy/prometheus/monitord-rules.yml >"$WORK/check.out" 2>&1 || { cat "$WORK/check.out"; fail "promtool check rules"; }
(cd deploy/prometheus && promtool test rules monitord-rules.test.yml) >"$WORK/test.out" 2>&1 || { cat "$WORK/test.out"; fail "promtool test rules"; }
echo "prometheus-rules: ok: $(grep -c '^      - alert:' deploy/prometheus/monitord-rules.yml) rules exported, promtool check rules and $(grep -c 'alertname:' deploy/prometheus/monitord-rules.test.yml) rule tests pass"
