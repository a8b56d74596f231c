#!/usr/bin/env bash
# HTTP benchmark of the `http` sink with wrk on loopback (`make bench` runs it).
#
# Starts the release monitord on a free port with a scratch config, then measures at 32
# connections, each against GET /health on the same server in the same run (the baseline):
#   1. GET /api/cache/stats           (target: >= 0.85x /health and >= 30,000 req/s, p99 < 5 ms)
#   2. GET of a hot 4 KiB entry       (target: >= 30,000 req/s, p99 < 5 ms)
#   3. GET /api/cache/stats again with 100,000 entries in the cache (target: within 10% of 1)
#   4. GET /health p99 while DELETE /api/cache/clear removes 200,000 entries and 8 clients read
#      missing keys (target: < 100 ms), against GET /health p99 with the same 8 readers and no
#      clear, measured just before on the same cache (the baseline)
#   5. HTTPS (TLS 1.3, keep-alive, a second sink of the same daemon with a certificate openssl
#      makes here) against plain HTTP: GET /health and the hot 4 KiB entry, ratios printed
# and prints requests/s, p99 and the ratios. Each figure is the best of ROUNDS rounds that
# interleave the routes (health, stats, entry, health, stats, ...), so a burst of load from
# elsewhere on a shared machine hits the baseline and the contender alike rather than one of them.
# The cache's sweep is set to 1h so a directory walk of 100,000 files does not land inside a
# measurement (the figure under test is the O(1) stats call).
# Env: DURATION per run (default 5s), ROUNDS (3), CONNECTIONS (32), THREADS (2), FILL (100000),
# CLEAR_FILL (200000), MONITORD_BINARY (default .build/release/monitord).
# The clear deletes CLEAR_FILL files at the end: file creation on ext4 then runs slower for a few
# minutes, so wait about five minutes before running the benchmark again.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
FILL=${FILL:-100000}
CLEAR_FILL=${CLEAR_FILL:-200000}
BIN=${MONITORD_BINARY:-.build/release/monitord}

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v wrk >/dev/null 2>&1; then
    echo "http-bench: installing wrk with apt-get"
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
[ -x "$BIN" ] || swift build -c release --product monitord

WORK=$(mktemp -d /tmp/monitord-http-bench.XXXXXX)
MD_PID=""
cleanup() {
    [ -n "$MD_PID" ] && kill "$MD_PID" 2>/dev/null && wait "$MD_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

source .ci/lib.sh  # free_port

PORT=$(free_port)
TLS_PORT=$(free_port)
RUNS=0
BASE="http://127.0.0.1:$PORT"
TLS_BASE="https://127.0.0.1:$TLS_PORT"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
cat >"$WORK/monitord.yaml" <<YAML
monitord: { log_level: warn }
sources:
  cache: { type: cache, cache_dir: "$WORK/cache", interval: 5s, max_memory_size: 1000, max_disk_size: 4GiB, sweep_interval: 1h }
  internal: { type: internal, interval: 5s }
sinks:
  api: { type: http, port: $PORT }
  apis: { type: http, port: $TLS_PORT, tls: { cert_file: "$WORK/tls.crt", key_file: "$WORK/tls.key" } }
YAML

"$BIN" run -c "$WORK/monitord.yaml" >"$WORK/monitord.out" 2>"$WORK/monitord.err" &
MD_PID=$!
deadline=$((SECONDS + 30))
until curl -fsS "$BASE/health" >/dev/null 2>&1; do
    if ! kill -0 "$MD_PID" 2>/dev/null; then cat "$WORK/monitord.err"; echo "http-bench: monitord exited"; exit 1; fi
    [ "$SECONDS" -lt "$deadline" ] || { echo "http-bench: monitord did not start"; exit 1; }
    sleep 0.2
done

head -c 4096 /dev/urandom >"$WORK/hot.bin"
curl -fsS -X PUT --data-binary @"$WORK/hot.bin" "$BASE/api/cache/entries/hot?ttl=86400" >/dev/null
for i in $(seq 1 100); do curl -fsS -X PUT --data-binary "entry $i" "$BASE/api/cache/entries/small-$i" >/dev/null; done

# measure NAME PATH: one wrk run; records requests/s and p99 (ms) for NAME, keeping the best run.
declare -A RPS P99
measure() {
    local name=$1 path=$2 url
    # A path is on the plain sink; a whole URL (the HTTPS sink) is taken as it is.
    if [[ $path == http* ]]; then url=$path; else url=$BASE$path; fi
    RUNS=$((RUNS + 1)); local out="$WORK/wrk-$RUNS.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "$url" >/dev/null 2>&1   # warm-up
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out" 2>&1
    local rps p99 bad
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    p99=$(awk '$1 == "99%" {
        v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
        printf "%.2f", v }' "$out")
    bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
    [ -z "$bad" ] || { echo "http-bench: $name answered $bad non-2xx responses"; exit 1; }
    if [ -z "${RPS[$name]:-}" ] || awk -v a="$rps" -v b="${RPS[$name]}" 'BEGIN { exit !(a > b) }'; then
        RPS[$name]=$rps; P99[$name]=$p99
    fi
}
# rounds NAME=PATH...: ROUNDS interleaved rounds over the routes, then one row per route.
rounds() {
    local round pair
    for round in $(seq 1 "$ROUNDS"); do
        for pair in "$@"; do measure "${pair%%=*}" "${pair#*=}"; done
    done
    for pair in "$@"; do
        printf "  %-38s %9.0f req/s   p99 %6s ms\n" "${pair%%=*}" "${RPS[${pair%%=*}]}" "${P99[${pair%%=*}]}"
    done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
check() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == "min") ? (v >= t) : (v <= t); print ok ? "ok" : "MISSED" }'; }

echo "http-bench: monitord $("$BIN" --version 2>/dev/null || echo release) on $BASE, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores"
echo "-- 100 entries (best of $ROUNDS interleaved rounds)"
rounds "health=/health" "stats=/api/cache/stats" "hot=/api/cache/entries/hot"
echo "-- HTTPS with keep-alive (TLS 1.3, P-256) against plain HTTP, one daemon (best of $ROUNDS interleaved rounds)"
rounds "plain health=/health" "https health=$TLS_BASE/health" "plain hot=/api/cache/entries/hot" "https hot=$TLS_BASE/api/cache/entries/hot"
printf "  https / plain, /health                %5s\n" "$(ratio "${RPS[https health]}" "${RPS[plain health]}")"
printf "  https / plain, hot 4 KiB entry        %5s\n" "$(ratio "${RPS[https hot]}" "${RPS[plain hot]}")"

echo "-- filling the cache to $FILL entries"
cat >"$WORK/fill.lua" <<'LUA'
-- PUTs <prefix>-<thread>-<n> with a 64-byte value; the script stops wrk once the cache is full.
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args) n = 0; prefix = args[1] or "fill"; body = string.rep("v", 64) end
function request()
    n = n + 1
    return wrk.format("PUT", "/api/cache/entries/" .. prefix .. "-" .. id .. "-" .. n, nil, body)
end
LUA
disk_items() { curl -fsS "$BASE/api/cache/stats?simple=true" | sed -n 's/.*"disk_items":\([0-9]*\).*/\1/p'; }
# fill_to COUNT PREFIX: PUTs new keys until the cache holds COUNT entries.
fill_to() {
    wrk -t"$THREADS" -c8 -d1800s -s "$WORK/fill.lua" "$BASE" -- "$2" >"$WORK/wrk-fill-$2.txt" 2>&1 &
    local pid=$!
    while [ "$(disk_items)" -lt "$1" ]; do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
started=$SECONDS
fill_to "$FILL" fill
ITEMS=$(disk_items)
echo "   $ITEMS entries on disk after $((SECONDS - started)) s"
sleep 2   # let the last writes settle
sync; sleep 3   # let the kernel write the new files back before measuring
echo "-- $ITEMS entries (best of $ROUNDS interleaved rounds)"
rounds "health@fill=/health" "stats@fill=/api/cache/stats"

HEALTH=${RPS[health]} STATS=${RPS[stats]} HOT=${RPS[hot]}
STATS_BIG=${RPS[stats@fill]} HEALTH_BIG=${RPS[health@fill]}
echo "-- results (targets in brackets)"
printf "  stats / health                      %5s   [>= 0.85]  %s\n" "$(ratio "$STATS" "$HEALTH")" "$(check "$(ratio "$STATS" "$HEALTH")" 0.85 min)"
printf "  stats req/s                         %5.0f   [>= 30000] %s\n" "$STATS" "$(check "$STATS" 30000 min)"
printf "  stats p99 ms                        %5s   [< 5]      %s\n" "${P99[stats]}" "$(check "${P99[stats]}" 5 max)"
printf "  hot 4 KiB entry req/s               %5.0f   [>= 30000] %s\n" "$HOT" "$(check "$HOT" 30000 min)"
printf "  hot 4 KiB entry p99 ms              %5s   [< 5]      %s\n" "${P99[hot]}" "$(check "${P99[hot]}" 5 max)"
printf "  stats with %s / with 100 entries %5s   [>= 0.90]  %s\n" "$ITEMS" "$(ratio "$STATS_BIG" "$STATS")" "$(check "$(ratio "$STATS_BIG" "$STATS")" 0.90 min)"
printf "  stats / health with %s entries   %5s   (same-moment check: the baseline moves with machine load)\n" "$ITEMS" "$(ratio "$STATS_BIG" "$HEALTH_BIG")"
printf "  stats p99 ms with %s entries     %5s   [< 5]      %s\n" "$ITEMS" "${P99[stats@fill]}" "$(check "${P99[stats@fill]}" 5 max)"

echo "-- filling the cache to $CLEAR_FILL entries for the clear"
started=$SECONDS
fill_to "$CLEAR_FILL" clear
CLEAR_ITEMS=$(disk_items)
echo "   $CLEAR_ITEMS entries on disk after $((SECONDS - started)) s"
sync; sleep 3
cat >"$WORK/missing.lua" <<'LUA'
-- GETs keys nobody wrote: every one is a memory miss that goes to the disk (404).
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args) n = 0 end
function request()
    n = n + 1
    return wrk.format("GET", "/api/cache/entries/missing-" .. id .. "-" .. n)
end
LUA
# health_p99 OUT: p99 and max (ms) of /health from a wrk run whose output is in OUT.
health_p99() { awk '$1 == "99%" || ($1 == "Latency" && $2 != "Distribution") {
        v = ($1 == "99%") ? $2 : $4; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
        if ($1 == "99%") p99 = v; else max = v }
    END { printf "%.2f %.2f", p99, max }' "$1"; }
# Eight clients reading missing keys throughout, as when a clear once made /health take 2.4 s.
wrk -t1 -c8 -d1800s -s "$WORK/missing.lua" "$BASE" >"$WORK/wrk-missing.txt" 2>&1 &
READERS_PID=$!
sleep 1
wrk -t"$THREADS" -c8 -d"$DURATION" --latency "$BASE/health" >"$WORK/wrk-health-quiet.txt" 2>&1
read -r QUIET_P99 QUIET_MAX <<<"$(health_p99 "$WORK/wrk-health-quiet.txt")"
# The same /health load, stopped (wrk prints its figures on SIGINT) once the clear has answered.
wrk -t"$THREADS" -c8 -d600s --latency "$BASE/health" >"$WORK/wrk-health-clear.txt" 2>&1 &
HEALTH_PID=$!
sleep 0.5
clear_started=$(date +%s.%N)
curl -fsS -X DELETE --max-time 600 "$BASE/api/cache/clear" >"$WORK/clear.json"
CLEAR_SECONDS=$(awk -v a="$clear_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
kill -INT "$HEALTH_PID"; wait "$HEALTH_PID" 2>/dev/null || true
kill "$READERS_PID" 2>/dev/null || true; wait "$READERS_PID" 2>/dev/null || true
read -r CLEAR_P99 CLEAR_MAX <<<"$(health_p99 "$WORK/wrk-health-clear.txt")"
CLEARED=$(sed -n 's/.*"disk_items":\([0-9]*\).*/\1/p' "$WORK/clear.json")
echo "-- /health with 8 clients reading missing keys, wrk -t$THREADS -c8"
printf "  %-44s p99 %7s ms   max %7s ms\n" "no clear (baseline, $DURATION)" "$QUIET_P99" "$QUIET_MAX"
printf "  %-44s p99 %7s ms   max %7s ms   [p99 < 100] %s\n" "during a clear of $CLEARED entries (${CLEAR_SECONDS} s)" "$CLEAR_P99" "$CLEAR_MAX" "$(check "$CLEAR_P99" 100 max)"
printf "  %-44s %7s\n" "p99 during the clear / baseline" "$(ratio "$CLEAR_P99" "$QUIET_P99")"
