#!/usr/bin/env bash
# Checks a live /metrics with Prometheus' own linter: starts monitord with a cache, an internal
# source and the HTTP sink on a free port, drives a few lookups (hits, misses, a stats reset),
# scrapes /metrics and runs `promtool check metrics` on it. Installs Debian's `prometheus`
# (which ships promtool) when promtool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v promtool >/dev/null 2>&1; then
    echo "promtool-check: installing prometheus (for promtool) with apt-get"
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus >/dev/null
fi
BIN=${MONITORD_BINARY:-.build/debug/monitord}
[ -x "$BIN" ] || swift build --product monitord

source .ci/lib.sh  # free_port, check_harness, fail, start_monitord
check_harness promtool-check

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
cat >"$WORK/monitord.yaml" <<YAML
sources:
  cache: { type: cache, cache_dir: "$WORK/cache", interval: 1s, max_memory_size: 2 }
  internal: { type: internal, interval: 1s }
  system: { type: system, interval: 1s }
sinks:
  api: { type: http, port: $PORT }
YAML

start_monitord

# Hits in both tiers, misses, evictions, a stats reset, and an SSE client, so every family has series.
for i in 1 2 3; do curl -fsS -X PUT --data-binary "value $i" "$BASE/api/cache/entries/key-$i" >/dev/null; done
curl -fsS "$BASE/api/cache/entries/key-3" >/dev/null
curl -fsS "$BASE/api/cache/entries/key-1" >/dev/null
curl -sS -o /dev/null "$BASE/api/cache/entries/missing"
curl -fsS -X DELETE "$BASE/api/cache/clear" >/dev/null
curl -s -N --max-time 2 "$BASE/api/events" >/dev/null 2>&1 || true
sleep 1.5   # one internal.stats sample, so the scheduler figures are present

curl -fsS -D "$WORK/headers" -o "$WORK/metrics.txt" "$BASE/metrics" || fail "GET /metrics failed"
grep -qi '^content-type: text/plain; version=0.0.4' "$WORK/headers" || fail "wrong Content-Type: $(grep -i '^content-type' "$WORK/headers")"
for family in monitord_cache_lookups_total monitord_cache_items monitord_cache_size_bytes \
              monitord_system_resident_memory_bytes monitord_system_cpu_seconds_total monitord_system_filesystem_free_ratio \
              monitord_bus_events_published_total monitord_sink_events_dropped_total monitord_source_samples_total; do
    grep -q "^# TYPE $family " "$WORK/metrics.txt" || fail "no $family in /metrics"
done

if ! promtool check metrics <"$WORK/metrics.txt" >"$WORK/promtool.out" 2>&1; then
    cat "$WORK/promtool.out"
    fail "promtool check metrics found problems"
fi
cp "$WORK/metrics.txt" "${PROMTOOL_KEEP:-/dev/null}"
echo "promtool-check: ok: $(grep -c '^monitord_' "$WORK/metrics.txt") series in $(grep -c '^# TYPE' "$WORK/metrics.txt") families pass promtool check metrics"
