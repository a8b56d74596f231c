# Shell helpers shared by the end-to-end checks and the HTTP benchmark (source it from the repo root).

# A loopback port nothing listens on now.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}
