#!/usr/bin/env bash
# Every query of deploy/grafana/monitord.json against a real Prometheus: starts monitord (a
# cache, the internal and system sources, an alert rule that fires) and Debian's prometheus
# scraping it every second, drives hits, misses, evictions and expirations, waits for the
# scrapes, then runs each panel query through Prometheus' HTTP API and fails if one errors or
# returns nothing. Also loads deploy/prometheus/monitord-rules.yml into that Prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${MONITORD_BINARY:-.build/debug/monitord}
[ -x "$BIN" ] || swift build --product monitord

source .ci/lib.sh  # free_port, check_harness, fail, start_monitord
check_harness grafana-queries
need prometheus prometheus
need jq jq
PROM_PID=""
trap '[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; check_cleanup' EXIT

PORT=$(free_port)
PROM_PORT=$(free_port)
while [ "$PROM_PORT" = "$PORT" ]; do PROM_PORT=$(free_port); done
BASE="http://127.0.0.1:$PORT"
cat >"$WORK/monitord.yaml" <<YAML
sources:
  cache: { type: cache, cache_dir: "$WORK/cache", interval: 1s, max_memory_size: 2, sweep_interval: 1s }
  internal: { type: internal, interval: 1s }
  system: { type: system, interval: 1s }
sinks:
  api: { type: http, port: $PORT }
  alerts:
    type: alerts
    rules:
      - { name: AnyOpenFiles, metric: system.open_fds, above: 0, severity: info }
YAML
start_monitord

cat >"$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: ["$PWD/deploy/prometheus/monitord-rules.yml"]
scrape_configs:
  - job_name: monitord
    static_configs: [{ targets: ["127.0.0.1:$PORT"] }]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
PROM="http://127.0.0.1:$PROM_PORT"
for _ in $(seq 1 150); do curl -fsS "$PROM/-/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$PROM/-/ready" >/dev/null 2>&1 || { tail -n 20 "$WORK/prometheus.log"; fail "Prometheus did not become ready on $PROM"; }

# Traffic for every panel: hits in both tiers, misses, LRU evictions, an entry that expires.
traffic() {
    for i in 1 2 3 4; do curl -fsS -X PUT --data-binary "value $i" "$BASE/api/cache/entries/key-$i" >/dev/null; done
    for i in 1 2 3 4; do curl -fsS -o /dev/null "$BASE/api/cache/entries/key-$i"; done
    curl -sS -o /dev/null "$BASE/api/cache/entries/missing"
    curl -fsS -X PUT --data-binary short "$BASE/api/cache/entries/short?ttl=1" >/dev/null
    curl -fsS -X DELETE -o /dev/null "$BASE/api/cache/entries/key-4"
}
traffic
sleep 1.2
curl -sS -o /dev/null "$BASE/api/cache/entries/short"   # expired now
# A few scrapes with traffic between them, so every rate has two points that differ.
up() { curl -fsS "$PROM/api/v1/query" --data-urlencode 'query=up{job="monitord"} == 1' | jq -e '.data.result | length == 1' >/dev/null; }
for _ in $(seq 1 100); do up && break; sleep 0.2; done
up || fail "Prometheus never scraped monitord"
for _ in 1 2 3 4; do traffic; sleep 1.1; done

checked=0
while IFS= read -r expr; do
    query=${expr//\$instance/.*}
    query=${query//\$__rate_interval/1m}
    answer=$(curl -fsS "$PROM/api/v1/query" --data-urlencode "query=$query") || fail "Prometheus refused: $query"
    [ "$(jq -r .status <<<"$answer")" = success ] || fail "query failed: $query: $answer"
    [ "$(jq '.data.result | length' <<<"$answer")" -gt 0 ] || fail "query returned nothing: $query"
    checked=$((checked + 1))
done < <(jq -r '.. | .expr? // empty' deploy/grafana/monitord.json)
[ "$checked" -gt 0 ] || fail "no queries found in deploy/grafana/monitord.json"
rules=$(curl -fsS "$PROM/api/v1/rules" | jq '[.data.groups[].rules[]] | length')
[ "$rules" -gt 0 ] || fail "Prometheus loaded no rule from deploy/prometheus/monitord-rules.yml"
echo "grafana-queries: ok: all $checked panel queries of deploy/grafana/monitord.json answer with data from a real Prometheus ($(prometheus --version 2>&1 | head -n1 | awk '{print $3}')), which also loaded $rules monitord rules"
