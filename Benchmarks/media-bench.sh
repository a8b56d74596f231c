#!/usr/bin/env bash
# Media benchmark of the cache's HTTP data plane (`make bench` runs it after http-bench).
#
# One release monitord with two cache sources on a free port (`disk`: max_memory_value_size 8MiB,
# so a 16 MiB value is read from its file; `mem`: max_memory_value_size 32MiB and max_memory_bytes
# 256MiB, so it is held in memory), and one nginx (one worker, sendfile on, its own prefix, conf,
# pid and logs in the scratch directory) serving the same bytes from a file in the same
# filesystem. In one run, with wrk at CONNECTIONS connections:
#   a. GET of a 16 MiB disk hit against nginx serving the 16 MiB file  (target: >= 0.8x nginx)
#   b. GET of a 16 MiB memory hit (X-Cache: memory) against nginx       (target: >= 1.0x nginx)
#   c. monitord's resident memory: VmHWM (reset through /proc/<pid>/clear_refs before each run
#      when allowed) and the highest VmRSS sampled every 100 ms, beside each figure
#   d. PUTS sequential `curl -T` PUTs of a 64 MiB random file against `cat file > copy` of the
#      same bytes PUTS times in the same filesystem (target: >= 0.7x cat), and, as the baseline
#      that pays for the same socket, the same `curl -T` PUTs into nginx's WebDAV module (which
#      also writes a temporary file and renames it into place)
# Throughput is bytes/s from wrk's Transfer/sec (GB = 10^9 bytes). Each figure is the best of
# ROUNDS rounds that interleave monitord and its baseline, so a burst of load from elsewhere on a
# shared machine hits both. A missed target is reported, not an error: the script exits non-zero
# only when something fails (a wrong status, a value that reads back wrong, a server that exits).
# Env: DURATION per run (default 5s), ROUNDS (3), CONNECTIONS (16), THREADS (2), PUTS (8),
# MONITORD_BINARY (default .build/release/monitord), KEEP_WORK=1 keeps the scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PUTS=${PUTS:-8}
BIN=${MONITORD_BINARY:-.build/release/monitord}
GET_SIZE=$((16 << 20))
PUT_SIZE=$((64 << 20))

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
install_pkg() {
    echo "media-bench: installing $1 with apt-get"
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null
}
command -v wrk >/dev/null 2>&1 || install_pkg wrk
NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
if [ -z "$NGINX" ]; then
    install_pkg nginx-light
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
[ -x "$NGINX" ] || { echo "media-bench: nginx is not installed and apt-get did not install nginx-light"; exit 1; }
[ -x "$BIN" ] || { echo "media-bench: no monitord binary at $BIN (make bench builds it; or set MONITORD_BINARY)"; exit 1; }

WORK=$(mktemp -d /tmp/monitord-media-bench.XXXXXX)
MD_PID="" NGX_PID="" SAMPLER_PID=""
cleanup() {
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
    [ -n "$NGX_PID" ] && kill "$NGX_PID" 2>/dev/null && wait "$NGX_PID" 2>/dev/null || true
    [ -n "$MD_PID" ] && kill "$MD_PID" 2>/dev/null && wait "$MD_PID" 2>/dev/null || true
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
die() {
    echo "media-bench: FAILED: $*"
    echo "--- monitord stderr"; tail -n 20 "$WORK/monitord.err" 2>/dev/null || true
    echo "--- nginx error.log"; tail -n 10 "$WORK/nginx/error.log" 2>/dev/null || true
    exit 1
}

source .ci/lib.sh  # free_port

PORT=$(free_port)
NGX_PORT=$(free_port)
while [ "$NGX_PORT" = "$PORT" ]; do NGX_PORT=$(free_port); done
BASE="http://127.0.0.1:$PORT"
NGX_BASE="http://127.0.0.1:$NGX_PORT"
mkdir -p "$WORK/www/uploads" "$WORK/copies" "$WORK/nginx/temp"
head -c "$GET_SIZE" /dev/urandom >"$WORK/www/media16.bin"
head -c "$PUT_SIZE" /dev/urandom >"$WORK/put64.bin"
GET_SHA=$(sha256sum <"$WORK/www/media16.bin" | cut -d' ' -f1)
PUT_SHA=$(sha256sum <"$WORK/put64.bin" | cut -d' ' -f1)

# --- monitord ----------------------------------------------------------------------------------
cat >"$WORK/monitord.yaml" <<YAML
monitord: { log_level: warn }
sources:
  disk: { type: cache, cache_dir: "$WORK/cache-disk", interval: 5s, max_memory_value_size: 8MiB, max_disk_size: 4GiB, sweep_interval: 1h }
  mem: { type: cache, cache_dir: "$WORK/cache-mem", interval: 5s, max_memory_value_size: 32MiB, max_memory_bytes: 256MiB, max_disk_size: 4GiB, sweep_interval: 1h }
sinks:
  api: { type: http, host: 127.0.0.1, port: $PORT, max_body_size: 80MiB }
YAML
"$BIN" run -c "$WORK/monitord.yaml" >"$WORK/monitord.out" 2>"$WORK/monitord.err" &
MD_PID=$!
deadline=$((SECONDS + 30))
until curl -fsS "$BASE/health" >/dev/null 2>&1; do
    kill -0 "$MD_PID" 2>/dev/null || die "monitord exited before serving"
    [ "$SECONDS" -lt "$deadline" ] || die "monitord did not answer /health within 30s"
    sleep 0.2
done

# --- nginx: one worker, sendfile, everything in $WORK -----------------------------------------
temp_paths=""
for module in client_body proxy fastcgi uwsgi scgi; do
    if [ "$module" = client_body ] || ! "$NGINX" -V 2>&1 | grep -q -- "--without-http_${module}_module"; then
        temp_paths+="    ${module}_temp_path $WORK/nginx/temp/$module;"$'\n'
    fi
done
cat >"$WORK/nginx/nginx.conf" <<NGINX
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    default_type application/octet-stream;
$temp_paths    client_max_body_size 80m;
    server {
        listen 127.0.0.1:$NGX_PORT;
        root $WORK/www;
        location /uploads/ { dav_methods PUT; }
    }
}
NGINX
"$NGINX" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" >"$WORK/nginx/stdout" 2>&1 &
NGX_PID=$!
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null "$NGX_BASE/media16.bin" 2>/dev/null; do
    kill -0 "$NGX_PID" 2>/dev/null || { cat "$WORK/nginx/stdout"; die "nginx exited before serving"; }
    [ "$SECONDS" -lt "$deadline" ] || die "nginx did not serve within 30s"
    sleep 0.2
done

# --- the 16 MiB value in both sources, checked ------------------------------------------------
for source in disk mem; do
    status=$(curl -sS -H 'Expect:' -T "$WORK/www/media16.bin" -o "$WORK/put.json" -w '%{http_code}' "$BASE/api/$source/entries/media16?ttl=86400")
    [ "$status" = 200 ] || die "PUT of the 16 MiB value into $source answered $status: $(head -c 300 "$WORK/put.json")"
done
# header NAME FILE: the value of a response header in a curl -D dump (case-insensitive name).
header() { awk -v n="$(echo "$1" | tr A-Z a-z)" -F': ' 'tolower($1) == n { sub(/\r$/, "", $2); print $2 }' "$2"; }
curl -fsS -o /dev/null "$BASE/api/mem/entries/media16"   # warm: the memory tier holds it now
[ "$(curl -fsS "$NGX_BASE/media16.bin" | sha256sum | cut -d' ' -f1)" = "$GET_SHA" ] || die "nginx does not serve the 16 MiB file"
for source in disk mem; do
    want=$([ "$source" = disk ] && echo disk || echo memory)
    sha=$(curl -fsS -D "$WORK/get.headers" "$BASE/api/$source/entries/media16" | sha256sum | cut -d' ' -f1)
    [ "$sha" = "$GET_SHA" ] || die "GET of the 16 MiB value from $source does not read it back"
    tier=$(header X-Cache "$WORK/get.headers")
    [ "$tier" = "$want" ] || die "GET of the 16 MiB value from $source answered X-Cache: ${tier:-none}, want $want"
done

# --- measurements ------------------------------------------------------------------------------
# to_bytes VALUE: wrk's 1.52GB / 812.34MB / 10.00KB / 512.00B (1024-based) as bytes.
to_bytes() { awk -v v="$1" 'BEGIN { n = v; u = v; sub(/[A-Za-z]+$/, "", n); gsub(/[0-9.]/, "", u)
    m = (u == "KB") ? 1024 : (u == "MB") ? 1048576 : (u == "GB") ? 1073741824 : (u == "TB") ? 1099511627776 : 1
    printf "%.0f", n * m }'; }
# Resident memory of monitord during a run: VmHWM reset first (when the kernel lets us), VmRSS sampled.
HWM_RESET=no
sample_start() {
    if echo 5 2>/dev/null >"/proc/$MD_PID/clear_refs"; then HWM_RESET=yes; fi
    ( while kill -0 "$MD_PID" 2>/dev/null; do awk '/^VmRSS:/ { print $2 }' "/proc/$MD_PID/status"; sleep 0.1; done ) >"$WORK/rss.samples" 2>/dev/null &
    SAMPLER_PID=$!
}
sample_stop() {   # sets HWM_MIB and RSS_MIB
    kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
    kill -0 "$MD_PID" 2>/dev/null || die "monitord exited during a run"
    HWM_MIB=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$MD_PID/status")
    RSS_MIB=$(sort -n "$WORK/rss.samples" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
}
declare -A BEST BEST_HWM BEST_RSS MAX_HWM MAX_RSS
# keep NAME BYTES_PER_S [HWM RSS]: the best figure of NAME so far, and the highest memory seen.
keep() {
    local name=$1 rate=$2
    if [ -z "${BEST[$name]:-}" ] || awk -v a="$rate" -v b="${BEST[$name]}" 'BEGIN { exit !(a > b) }'; then
        BEST[$name]=$rate; BEST_HWM[$name]=${3:-}; BEST_RSS[$name]=${4:-}
    fi
    if [ -n "${3:-}" ]; then
        [ "${MAX_HWM[$name]:-0}" -ge "$3" ] || MAX_HWM[$name]=$3
        [ "${MAX_RSS[$name]:-0}" -ge "$4" ] || MAX_RSS[$name]=$4
    fi
}
RUNS=0
# measure NAME URL WATCH: one wrk run (after a 1 s warm-up); WATCH=yes samples monitord's memory.
measure() {
    local name=$1 url=$2 watch=$3 out rate rps bad errors
    RUNS=$((RUNS + 1)); out="$WORK/wrk-$RUNS.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d1s --timeout 30s "$url" >/dev/null 2>&1
    [ "$watch" = yes ] && sample_start
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s "$url" >"$out" 2>&1 || die "wrk failed on $url: $(cat "$out")"
    [ "$watch" = yes ] && sample_stop
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    [ -z "$bad" ] || die "$name: $bad non-2xx responses from $url"
    rate=$(to_bytes "$(awk '/^Transfer\/sec:/ { print $2 }' "$out")")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    [ -n "$rate" ] && [ "$rate" != 0 ] || die "$name: no answer completed within $DURATION on $url (wrk: $(awk '/requests in/' "$out" | sed 's/^ *//'))"
    errors=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")
    if [ "$watch" = yes ]; then
        keep "$name" "$rate" "$HWM_MIB" "$RSS_MIB"
        printf "  %-28s %6.2f GB/s %8.1f req/s   monitord VmHWM %4s MiB, VmRSS max %4s MiB%s\n" "$name" \
            "$(awk -v r="$rate" 'BEGIN { print r / 1e9 }')" "$rps" "$HWM_MIB" "$RSS_MIB" "${errors:+   socket errors: $errors}"
    else
        keep "$name" "$rate"
        printf "  %-28s %6.2f GB/s %8.1f req/s%s\n" "$name" "$(awk -v r="$rate" 'BEGIN { print r / 1e9 }')" "$rps" "${errors:+   socket errors: $errors}"
    fi
}
now() { date +%s.%N; }
# rate_since START: bytes/s of PUTS values of PUT_SIZE moved since START; sets SECONDS_TAKEN.
rate_since() {
    SECONDS_TAKEN=$(awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }')
    RATE=$(awk -v s="$SECONDS_TAKEN" -v n="$PUTS" -v b="$PUT_SIZE" 'BEGIN { printf "%.0f", n * b / s }')
}
# put_round: PUTS sequential 64 MiB PUTs, then PUTS cats of the same file, as one round.
put_round() {
    local i start status
    sample_start
    start=$(now)
    for i in $(seq 1 "$PUTS"); do
        status=$(curl -sS -H 'Expect:' -T "$WORK/put64.bin" -o "$WORK/put.json" -w '%{http_code}' "$BASE/api/disk/entries/put64-$i?ttl=86400")
        [ "$status" = 200 ] || die "PUT of 64 MiB answered $status: $(head -c 300 "$WORK/put.json")"
    done
    rate_since "$start"
    sample_stop
    keep put "$RATE" "$HWM_MIB" "$RSS_MIB"
    printf "  %-28s %6.0f MB/s  (%d x 64 MiB in %.2f s)   monitord VmHWM %4s MiB, VmRSS max %4s MiB\n" "monitord PUT 64 MiB" \
        "$(awk -v r="$RATE" 'BEGIN { print r / 1e6 }')" "$PUTS" "$SECONDS_TAKEN" "$HWM_MIB" "$RSS_MIB"
    start=$(now)
    for i in $(seq 1 "$PUTS"); do cat "$WORK/put64.bin" >"$WORK/copies/put64-$i"; done
    rate_since "$start"
    keep cat "$RATE"
    printf "  %-28s %6.0f MB/s  (%d x 64 MiB in %.2f s)\n" "cat > file (same filesystem)" "$(awk -v r="$RATE" 'BEGIN { print r / 1e6 }')" "$PUTS" "$SECONDS_TAKEN"
    if [ "$DAV" = yes ]; then
        start=$(now)
        for i in $(seq 1 "$PUTS"); do
            status=$(curl -sS -H 'Expect:' -T "$WORK/put64.bin" -o /dev/null -w '%{http_code}' "$NGX_BASE/uploads/put64-$i")
            [[ "$status" = 20[14] ]] || die "PUT of 64 MiB into nginx's WebDAV answered $status"
        done
        rate_since "$start"
        keep dav "$RATE"
        printf "  %-28s %6.0f MB/s  (%d x 64 MiB in %.2f s)\n" "nginx WebDAV PUT (curl -T)" "$(awk -v r="$RATE" 'BEGIN { print r / 1e6 }')" "$PUTS" "$SECONDS_TAKEN"
        cmp -s "$WORK/put64.bin" "$WORK/www/uploads/put64-$PUTS" || die "nginx's WebDAV did not store the 64 MiB PUT"
        rm -f "$WORK"/www/uploads/put64-*
    fi
    # The last PUT reads back whole; then the round's entries and copies go, so every round starts alike.
    [ "$(curl -fsS "$BASE/api/disk/entries/put64-$PUTS" | sha256sum | cut -d' ' -f1)" = "$PUT_SHA" ] || die "the 64 MiB PUT does not read back"
    for i in $(seq 1 "$PUTS"); do curl -fsS -o /dev/null -X DELETE "$BASE/api/disk/entries/put64-$i"; done
    rm -f "$WORK"/copies/put64-*
}

# nginx-light has the WebDAV module; a build without it skips that baseline.
DAV=no
curl -sS -H 'Expect:' -T "$WORK/www/media16.bin" -o /dev/null -w '%{http_code}' "$NGX_BASE/uploads/probe" 2>/dev/null | grep -q '^20[14]$' && DAV=yes
rm -f "$WORK/www/uploads/probe"

echo "media-bench: monitord $("$BIN" --version 2>/dev/null || echo "$BIN") on $BASE, $("$NGINX" -v 2>&1 | sed 's/^nginx version: //') on $NGX_BASE, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores"
echo "-- GET of a 16 MiB value ($ROUNDS interleaved rounds)"
for round in $(seq 1 "$ROUNDS"); do
    measure "monitord disk hit" "$BASE/api/disk/entries/media16" yes
    measure "nginx sendfile" "$NGX_BASE/media16.bin" no
    measure "monitord memory hit" "$BASE/api/mem/entries/media16" yes
done
# The memory hit stayed one: a wrk run cannot show X-Cache, so ask once more.
curl -fsS -D "$WORK/get.headers" -o /dev/null "$BASE/api/mem/entries/media16"
[ "$(header X-Cache "$WORK/get.headers")" = memory ] || die "the 16 MiB value left the memory tier during the runs"
echo "-- PUT of a 64 MiB file, $PUTS sequential PUTs with curl -T ($ROUNDS interleaved rounds)"
for round in $(seq 1 "$ROUNDS"); do put_round; done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "target met" : "below target" }'; }
gbs() { awk -v r="$1" 'BEGIN { printf "%.2f GB/s", r / 1e9 }'; }
mbs() { awk -v r="$1" 'BEGIN { printf "%.0f MB/s", r / 1e6 }'; }
hwm_note=$([ "$HWM_RESET" = yes ] && echo "VmHWM reset before each run" || echo "VmHWM since start: clear_refs not writable")
echo "-- results: best of $ROUNDS (targets in brackets; monitord's memory is the highest over the rounds, $hwm_note)"
DISK=${BEST[monitord disk hit]} MEM=${BEST[monitord memory hit]} NGX=${BEST[nginx sendfile]} PUT=${BEST[put]} CAT=${BEST[cat]}
printf "  16 MiB disk hit    %-10s vs nginx %-10s %5s  [>= 0.8]  %-12s  VmHWM %s MiB, VmRSS %s MiB\n" "$(gbs "$DISK")" "$(gbs "$NGX")" \
    "$(ratio "$DISK" "$NGX")" "$(verdict "$(ratio "$DISK" "$NGX")" 0.8)" "${MAX_HWM[monitord disk hit]}" "${MAX_RSS[monitord disk hit]}"
printf "  16 MiB memory hit  %-10s vs nginx %-10s %5s  [>= 1.0]  %-12s  VmHWM %s MiB, VmRSS %s MiB\n" "$(gbs "$MEM")" "$(gbs "$NGX")" \
    "$(ratio "$MEM" "$NGX")" "$(verdict "$(ratio "$MEM" "$NGX")" 1.0)" "${MAX_HWM[monitord memory hit]}" "${MAX_RSS[monitord memory hit]}"
printf "  64 MiB PUT         %-10s vs cat   %-10s %5s  [>= 0.7]  %-12s  VmHWM %s MiB, VmRSS %s MiB\n" "$(mbs "$PUT")" "$(mbs "$CAT")" \
    "$(ratio "$PUT" "$CAT")" "$(verdict "$(ratio "$PUT" "$CAT")" 0.7)" "${MAX_HWM[put]}" "${MAX_RSS[put]}"
if [ "$DAV" = yes ]; then
    printf "  64 MiB PUT         %-10s vs nginx WebDAV PUT %-10s %5s  (same client and socket; no target)\n" "$(mbs "$PUT")" "$(mbs "${BEST[dav]}")" \
        "$(ratio "$PUT" "${BEST[dav]}")"
else
    echo "  (nginx has no WebDAV module here: no PUT baseline over the same socket)"
fi
