# Shell helpers shared by the end-to-end checks and the HTTP benchmark (source it from the repo root).

# A loopback port nothing listens on now.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# The harness of a check that runs one monitord: a scratch directory $WORK, removed on exit
# together with the monitord whose pid the check puts in $MD_PID; `fail MESSAGE` prints the
# message and monitord's last log lines (from $WORK/monitord.err) and exits 1.
check_harness() {
    CHECK_NAME=$1
    WORK=$(mktemp -d "/tmp/monitord-$CHECK_NAME.XXXXXX")
    MD_PID=""
    trap check_cleanup EXIT
}

check_cleanup() {
    [ -n "$MD_PID" ] && kill "$MD_PID" 2>/dev/null && wait "$MD_PID" 2>/dev/null || true
    rm -rf "$WORK"
}

fail() {
    echo "$CHECK_NAME: FAILED: $*"
    echo "--- monitord stderr"; tail -n 30 "$WORK/monitord.err" 2>/dev/null || true
    exit 1
}

# Starts "$BIN" on "$WORK/monitord.yaml" (logs in $WORK) as $MD_PID and waits up to 30 s for
# "$BASE/health"; fails when it exits first or never answers.
start_monitord() {
    "$BIN" run -c "$WORK/monitord.yaml" >"$WORK/monitord.out" 2>"$WORK/monitord.err" &
    MD_PID=$!
    local deadline=$((SECONDS + 30))
    until curl -fsS "$BASE/health" >/dev/null 2>&1; do
        kill -0 "$MD_PID" 2>/dev/null || fail "monitord exited before serving"
        [ "$SECONDS" -lt "$deadline" ] || fail "monitord did not answer /health within 30s"
        sleep 0.2
    done
}

# need COMMAND PACKAGE: installs the Debian PACKAGE with apt-get when COMMAND is missing.
need() {
    command -v "$1" >/dev/null 2>&1 && return
    local sudo; sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    echo "${CHECK_NAME:-check}: installing $2 (for $1) with apt-get"
    $sudo apt-get update -q >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
}
