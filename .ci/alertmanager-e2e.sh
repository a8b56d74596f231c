#!/usr/bin/env bash
# End to end against a real Alertmanager: monitord's LowHitRate rule (for: 2s) fires on cache
# misses driven through the HTTP data plane, its `alertmanager` notifier posts the alert, and
# Alertmanager's own API (GET /api/v2/alerts) shows it; hits then resolve it there too. Then a
# second Alertmanager serves HTTPS and wants client certificates (its web.config.file):
# `monitord alerts test` delivers to it with the notifier's ca_file, cert_file and key_file, and
# fails without the client certificate.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v prometheus-alertmanager >/dev/null 2>&1; then
    echo "alertmanager-e2e: installing prometheus-alertmanager with apt-get"
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-alertmanager >/dev/null
fi
BIN=${MONITORD_BINARY:-.build/debug/monitord}
[ -x "$BIN" ] || swift build --product monitord

WORK=$(mktemp -d /tmp/monitord-am-e2e.XXXXXX)
AM_PID="" MD_PID="" AM_TLS_PID=""
cleanup() {
    [ -n "$MD_PID" ] && kill "$MD_PID" 2>/dev/null && wait "$MD_PID" 2>/dev/null || true
    [ -n "$AM_PID" ] && kill "$AM_PID" 2>/dev/null && wait "$AM_PID" 2>/dev/null || true
    [ -n "$AM_TLS_PID" ] && kill "$AM_TLS_PID" 2>/dev/null && wait "$AM_TLS_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "alertmanager-e2e: FAILED: $*"
    echo "--- monitord stderr";     tail -n 30 "$WORK/monitord.err" 2>/dev/null || true
    echo "--- monitord alert log";  grep '"event.kind":"alert"\|notification' "$WORK/events.log" 2>/dev/null | tail -n 10 || true
    echo "--- alertmanager log";    tail -n 20 "$WORK/am.log" 2>/dev/null || true
    exit 1
}
ok() { echo "alertmanager-e2e: ok: $*"; }

source .ci/lib.sh  # free_port

# wait_until SECONDS DESCRIPTION COMMAND...: polls the command every 200ms.
wait_until() {
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${seconds}s waiting for $what"
        sleep 0.2
    done
}

AM_PORT=$(free_port)
API_PORT=$(free_port)
while [ "$API_PORT" = "$AM_PORT" ]; do API_PORT=$(free_port); done

cat >"$WORK/alertmanager.yml" <<YAML
route:
  receiver: blackhole
  group_wait: 0s
receivers:
  - name: blackhole
YAML
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$WORK/am.log" 2>&1 &
AM_PID=$!
am_ready() { curl -fsS "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null 2>&1; }
wait_until 30 "Alertmanager to be ready on 127.0.0.1:$AM_PORT" am_ready
ok "Alertmanager $(prometheus-alertmanager --version 2>&1 | head -n1 | awk '{print $3}') ready on 127.0.0.1:$AM_PORT"

cat >"$WORK/monitord.yaml" <<YAML
monitord: { log_level: info }
sources:
  cache: { type: cache, interval: 200ms, cache_dir: "$WORK/cache" }
sinks:
  api: { type: http, host: 127.0.0.1, port: $API_PORT }
  log: { type: log, path: "$WORK/events.log", inputs: [alerts], flush_interval: 50ms }
  alerts:
    type: alerts
    external_url: "http://127.0.0.1:$API_PORT/"
    rules:
      - name: LowHitRate
        metric: cache.recent_hit_rate
        below: 0.70
        clear_above: 0.75
        for: 2s
        when: { metric: cache.total_requests, at_least: 10 }
        severity: warning
        labels: { team: media }
        summary: "Cache hit rate {{ value | percent }} is below {{ threshold | percent }}"
    notifiers:
      - { type: alertmanager, url: "http://127.0.0.1:$AM_PORT", timeout: 2s, repeat_interval: 10s }
YAML
"$BIN" run -c "$WORK/monitord.yaml" >"$WORK/monitord.out" 2>"$WORK/monitord.err" &
MD_PID=$!
md_ready() { kill -0 "$MD_PID" 2>/dev/null || fail "monitord exited early"; curl -fsS "http://127.0.0.1:$API_PORT/health" >/dev/null 2>&1; }
wait_until 30 "monitord to serve /health on 127.0.0.1:$API_PORT" md_ready
ok "monitord serving on 127.0.0.1:$API_PORT"

ENTRIES="http://127.0.0.1:$API_PORT/api/cache/entries"
curl -fsS -X PUT --data-binary "hot value" "$ENTRIES/hot" >/dev/null || fail "PUT $ENTRIES/hot"
for n in $(seq 1 20); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$ENTRIES/missing-$n")
    [ "$code" = 404 ] || fail "GET of a missing key answered $code, expected 404"
done
ok "20 misses through the data plane"

AM_ALERTS="http://127.0.0.1:$AM_PORT/api/v2/alerts"
am_has_alert() {
    curl -fsS "$AM_ALERTS" | jq -e 'map(select(.labels.alertname == "LowHitRate")) | length == 1' >/dev/null 2>&1
}
wait_until 30 "LowHitRate to arrive in Alertmanager" am_has_alert
alert=$(curl -fsS "$AM_ALERTS" | jq -c 'map(select(.labels.alertname == "LowHitRate"))[0]')
[ "$(jq -r .labels.severity <<<"$alert")" = warning ] || fail "severity label: $alert"
[ "$(jq -r .labels.team <<<"$alert")" = media ] || fail "team label: $alert"
[ "$(jq -r .status.state <<<"$alert")" = active ] || fail "alert state in Alertmanager: $alert"
jq -e '.annotations.summary | test("^Cache hit rate [0-9.]+% is below 70%$")' <<<"$alert" >/dev/null || fail "summary: $alert"
[ "$(jq -r .generatorURL <<<"$alert")" = "http://127.0.0.1:$API_PORT/" ] || fail "generatorURL: $alert"
ok "Alertmanager shows LowHitRate active: $(jq -c '{labels, summary: .annotations.summary, startsAt}' <<<"$alert")"
grep -q '"state":"firing"' "$WORK/events.log" || fail "no firing alert line in monitord's log"
ok "monitord's JSON log has the firing transition"
curl -fsS "http://127.0.0.1:$API_PORT/api/alerts" | jq -e '.alerts | map(select(.alertname == "LowHitRate" and .state == "firing")) | length == 1' >/dev/null \
    || fail "/api/alerts does not list LowHitRate firing"
ok "monitord's /api/alerts lists LowHitRate firing"

for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$ENTRIES/hot" || fail "GET of the stored key failed"
done
ok "100 hits through the data plane"
am_resolved() {
    curl -fsS "$AM_ALERTS?active=true" | jq -e 'map(select(.labels.alertname == "LowHitRate")) | length == 0' >/dev/null 2>&1
}
wait_until 30 "LowHitRate to resolve in Alertmanager" am_resolved
grep -q '"state":"resolved"' "$WORK/events.log" || fail "no resolved alert line in monitord's log"
ok "LowHitRate resolved: gone from Alertmanager's active alerts, resolved in monitord's log"

kill "$MD_PID"
wait "$MD_PID" && status=0 || status=$?
MD_PID=""
[ "$status" = 0 ] || fail "monitord exited $status on SIGTERM"
ok "monitord stopped cleanly"

# The dry run of the paging path: `monitord alerts test` through the same notifier, and through
# one whose receiver is down.
"$BIN" alerts test -c "$WORK/monitord.yaml" >"$WORK/dryrun.out" 2>&1 || { cat "$WORK/dryrun.out"; fail "monitord alerts test exited $? with Alertmanager up"; }
grep -q "^alerts/alertmanager (alertmanager http://127.0.0.1:$AM_PORT/api/v2/alerts): delivered, HTTP 200 in [0-9]* ms$" "$WORK/dryrun.out" \
    || { cat "$WORK/dryrun.out"; fail "alerts test did not report the delivery"; }
am_has_test_alert() {
    curl -fsS "$AM_ALERTS" | jq -e 'map(select(.labels.alertname == "MonitordTestAlert" and .labels.monitord_test == "true" and .labels.severity == "info")) | length == 1' >/dev/null 2>&1
}
wait_until 10 "MonitordTestAlert in Alertmanager" am_has_test_alert
ok "monitord alerts test: $(head -n1 "$WORK/dryrun.out"); Alertmanager shows MonitordTestAlert"
DOWN_PORT=$(free_port)
sed "s|url: \"http://127.0.0.1:$AM_PORT\"|url: \"http://127.0.0.1:$DOWN_PORT\"|" "$WORK/monitord.yaml" >"$WORK/down.yaml"
if "$BIN" alerts test -c "$WORK/down.yaml" >"$WORK/down.out" 2>&1; then cat "$WORK/down.out"; fail "alerts test exited 0 with the receiver down"; fi
grep -q "^alerts/alertmanager (alertmanager http://127.0.0.1:$DOWN_PORT/api/v2/alerts): FAILED, " "$WORK/down.out" \
    || { cat "$WORK/down.out"; fail "alerts test did not report the failure"; }
ok "monitord alerts test with the receiver down: $(head -n1 "$WORK/down.out" | cut -c1-160)"

# --- Alertmanager behind mutual TLS ---------------------------------------------------------
TLS=$WORK/tls
mkdir -p "$TLS"
newkey() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout "$TLS/$1.key" -out "$TLS/$1.csr" 2>/dev/null; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=am-ca \
    -keyout "$TLS/ca.key" -out "$TLS/ca.crt" 2>/dev/null
newkey alertmanager
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$TLS/server.ext"
openssl x509 -req -in "$TLS/alertmanager.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -days 2 \
    -extfile "$TLS/server.ext" -out "$TLS/alertmanager.crt" 2>/dev/null
newkey monitord
printf 'extendedKeyUsage=clientAuth\n' >"$TLS/client.ext"
openssl x509 -req -in "$TLS/monitord.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -days 2 \
    -extfile "$TLS/client.ext" -out "$TLS/monitord.crt" 2>/dev/null
chmod 600 "$TLS"/*.key
cat >"$WORK/web.yml" <<YAML
tls_server_config:
  cert_file: $TLS/alertmanager.crt
  key_file: $TLS/alertmanager.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $TLS/ca.crt
YAML
AM_TLS_PORT=$(free_port)
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-tls-data" \
    --web.listen-address="127.0.0.1:$AM_TLS_PORT" --web.config.file="$WORK/web.yml" --cluster.listen-address= >"$WORK/am-tls.log" 2>&1 &
AM_TLS_PID=$!
AM_CURL=(curl -fsS --cacert "$TLS/ca.crt" --cert "$TLS/monitord.crt" --key "$TLS/monitord.key")
am_tls_ready() { "${AM_CURL[@]}" "https://127.0.0.1:$AM_TLS_PORT/-/ready" >/dev/null 2>&1; }
wait_until 30 "the mTLS Alertmanager to be ready on 127.0.0.1:$AM_TLS_PORT" am_tls_ready
if curl -fsS --cacert "$TLS/ca.crt" "https://127.0.0.1:$AM_TLS_PORT/-/ready" >/dev/null 2>&1; then
    fail "the mTLS Alertmanager answered a client without a certificate"
fi
ok "a second Alertmanager serves HTTPS on 127.0.0.1:$AM_TLS_PORT and refuses clients without a certificate"
mtls_config() {  # mtls_config FILE EXTRA-KEYS: the alerts test config with the HTTPS notifier
    cat >"$1" <<YAML
sinks:
  alerts:
    type: alerts
    rules:
      - { name: Never, metric: cache.hit_rate, below: -1 }
    notifiers:
      - { type: alertmanager, name: secure, url: "https://127.0.0.1:$AM_TLS_PORT", timeout: 3s, ca_file: "$TLS/ca.crt"$2 }
sources:
  cache: { type: cache, cache_dir: "$WORK/cache" }
YAML
}
mtls_config "$WORK/mtls.yaml" ", cert_file: \"$TLS/monitord.crt\", key_file: \"$TLS/monitord.key\""
"$BIN" alerts test -c "$WORK/mtls.yaml" >"$WORK/mtls.out" 2>&1 || { cat "$WORK/mtls.out"; fail "alerts test to the mTLS Alertmanager exited $?"; }
grep -q "^alerts/secure (alertmanager https://127.0.0.1:$AM_TLS_PORT/api/v2/alerts): delivered, HTTP 200" "$WORK/mtls.out" \
    || { cat "$WORK/mtls.out"; fail "alerts test did not deliver over mutual TLS"; }
am_tls_has_test_alert() {
    "${AM_CURL[@]}" "https://127.0.0.1:$AM_TLS_PORT/api/v2/alerts" | jq -e 'map(select(.labels.alertname == "MonitordTestAlert")) | length == 1' >/dev/null 2>&1
}
wait_until 10 "MonitordTestAlert in the mTLS Alertmanager" am_tls_has_test_alert
ok "alerts test over mutual TLS (ca_file, cert_file, key_file): $(head -n1 "$WORK/mtls.out")"
mtls_config "$WORK/no-cert.yaml" ""
if "$BIN" alerts test -c "$WORK/no-cert.yaml" >"$WORK/no-cert.out" 2>&1; then cat "$WORK/no-cert.out"; fail "alerts test delivered without a client certificate"; fi
grep -q "^alerts/secure (alertmanager https://127.0.0.1:$AM_TLS_PORT/api/v2/alerts): FAILED, " "$WORK/no-cert.out" \
    || { cat "$WORK/no-cert.out"; fail "alerts test without a client certificate did not report the failure"; }
ok "without cert_file/key_file the same notifier fails: $(head -n1 "$WORK/no-cert.out" | cut -c1-160)"
sed "s|ca_file: \"$TLS/ca.crt\"|ca_file: \"$TLS/nothing.crt\"|" "$WORK/mtls.yaml" >"$WORK/bad-ca.yaml"
if "$BIN" validate -c "$WORK/bad-ca.yaml" >"$WORK/bad-ca.out" 2>&1; then fail "validate accepted a ca_file that does not exist"; fi
grep -q "ca_file: $TLS/nothing.crt cannot be opened: no such file" "$WORK/bad-ca.out" || { cat "$WORK/bad-ca.out"; fail "validate did not name the missing ca_file"; }
ok "validate names a missing ca_file: $(head -n1 "$WORK/bad-ca.out" | cut -c1-160)"
sed "s|key_file: \"$TLS/monitord.key\"|key_file: \"$TLS/alertmanager.key\"|" "$WORK/mtls.yaml" >"$WORK/bad-key.yaml"
if "$BIN" validate -c "$WORK/bad-key.yaml" >"$WORK/bad-key.out" 2>&1; then fail "validate accepted a key_file of another certificate"; fi
grep -q "is not the private key of the certificate in $TLS/monitord.crt" "$WORK/bad-key.out" || { cat "$WORK/bad-key.out"; fail "validate did not catch the key mismatch"; }
ok "validate catches a notifier key_file of another certificate"
echo "alertmanager-e2e: all checks passed"
