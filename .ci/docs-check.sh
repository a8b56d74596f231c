#!/usr/bin/env bash
# Checks that the docs say what the binary does, so a doc that drifts fails `make test`:
#
# 1. Every ```yaml block of README.md and docs/*.md goes through `monitord validate`. A block is
#    a whole monitord.yaml unless the last line before its fence (blank lines aside) is one of
#    these markers:
#      <!-- fragment -->          part of a config: merged into config/monitord.yaml first
#                                 (mappings merge key by key, the block's values win; a list or
#                                 a scalar in the block replaces the default's)
#      <!-- not monitord.yaml --> another program's YAML (Alertmanager's config): not checked
#    Variables a block needs without a default (`${HOOK_TOKEN}`) are set to a placeholder, as an
#    operator would set them; relative paths resolve in a scratch directory, and the docs' log
#    directory /var/log/monitord (which an operator creates) is one in the scratch directory, and
#    /etc/monitord/tls/ holds the certificates that the openssl recipe of docs/http-api.md's TLS
#    section makes, run as written (so the recipe is checked too).
# 2. Every `curl` line of the README tour (the ```sh block under "A five-minute tour") runs, in
#    order, against a live daemon on the default config, with 8000 replaced by a free port and a
#    scratch cache directory. Each request must answer 2xx, unless the line's comment starts with
#    the status it expects (`# 404 ...`); a line with a pipe must also succeed as a whole. A
#    stream (`curl -N`) is cut after 2 s.
# 3. `make install` puts the binary at $(DESTDIR)$(PREFIX)/bin/monitord (a dry run: no build).
#
# Installs python3-yaml with apt-get when it is missing (for the merge of fragments).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "docs-check: installing python3-yaml with apt-get"
    $SUDO apt-get update -q >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-yaml >/dev/null
fi
BIN=${MONITORD_BINARY:-.build/debug/monitord}
[ -x "$BIN" ] || swift build --product monitord
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

source .ci/lib.sh  # free_port, check_harness, fail, start_monitord
check_harness docs-check
failures=0
problem() {
    echo "docs-check: $*"
    failures=$((failures + 1))
}

# --- 1. yaml blocks -------------------------------------------------------------------------
mkdir -p "$WORK/blocks" "$WORK/run" "$WORK/run/etc-monitord"
awk '/^\*\*A test CA with openssl/ { recipe = 1 } recipe && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside' docs/http-api.md \
    >"$WORK/tls-recipe.sh"
[ -s "$WORK/tls-recipe.sh" ] || problem "docs/http-api.md: no openssl recipe found under \"A test CA with openssl\""
if ! (cd "$WORK/run/etc-monitord" && bash -e "$WORK/tls-recipe.sh" >"$WORK/tls-recipe.out" 2>&1); then
    problem "docs/http-api.md: the openssl recipe of the TLS section fails:"
    sed 's/^/    /' "$WORK/tls-recipe.out"
fi
python3 - "$WORK/blocks" config/monitord.yaml README.md docs/*.md >"$WORK/blocks/index" <<'PY'
import os, re, sys, yaml

out, default_path, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
log_directory = os.path.join(os.path.dirname(out), "run", "var-log-monitord")
os.makedirs(log_directory, exist_ok=True)
with open(default_path) as f:
    default = yaml.safe_load(f)

def merge(base, part):
    if isinstance(base, dict) and isinstance(part, dict):
        merged = dict(base)
        for key, value in part.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    return part

n = 0
for doc in docs:
    lines = open(doc).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```yaml":
            i += 1
            continue
        start = i + 1
        end = start
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        marker = next((l.strip() for l in reversed(lines[:i]) if l.strip()), "")
        text = "\n".join(lines[start:end]) + "\n"
        text = text.replace("/var/log/monitord/", log_directory + "/")
        text = text.replace("/etc/monitord/tls/", os.path.join(os.path.dirname(out), "run", "etc-monitord", "tls") + "/")
        i = end + 1
        if marker == "<!-- not monitord.yaml -->":
            continue
        n += 1
        kind = "fragment" if marker == "<!-- fragment -->" else "config"
        if kind == "fragment":
            text = yaml.safe_dump(merge(default, yaml.safe_load(text)), sort_keys=False)
        name = os.path.join(out, "%03d.yaml" % n)
        with open(name, "w") as f:
            f.write(text)
        needed = sorted(set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text)))
        print("%s\t%s:%d\t%s\t%s" % (name, doc, start + 1, kind, ",".join(needed)))
PY

blocks=0
while IFS=$'\t' read -r file where kind needed; do
    blocks=$((blocks + 1))
    env_args=(CACHE_DIR="$WORK/run/cache")
    for name in ${needed//,/ }; do env_args+=("$name=placeholder-$name"); done
    if ! (cd "$WORK/run" && env "${env_args[@]}" "$BIN" validate -c "$file" >"$WORK/validate.out" 2>&1); then
        problem "$where: this $kind does not validate:"
        sed 's/^/    /' "$WORK/validate.out"
    fi
done <"$WORK/blocks/index"

# --- 2. the README tour against a live daemon -----------------------------------------------
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
cp config/monitord.yaml "$WORK/monitord.yaml"
export API_PORT=$PORT CACHE_DIR="$WORK/cache"
start_monitord
unset API_PORT CACHE_DIR

awk '/^## A five-minute tour/ { tour = 1 } tour && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside' README.md \
    | grep -E '^curl ' >"$WORK/tour" || true
[ -s "$WORK/tour" ] || problem "README.md: no curl line found in the tour"
# What the tour's PUT uploads.
echo '{"episode": 42, "text": "Bonjour"}' >"$WORK/transcript.json"
head -c 300000 /dev/urandom >"$WORK/episode-42.wav"  # over 256 KiB: the PUT streams

curl() {
    # Every request's status goes to a file; a stream is cut after 2 s, a request after 10 s.
    local limit=10 arg
    for arg in "$@"; do [[ $arg =~ ^-[A-Za-z]*N ]] && limit=2; done
    command curl --max-time "$limit" --write-out '%{stderr}%{http_code}\n' "$@" 2>>"$WORK/status"
}
export -f curl
export WORK

curls=0
while IFS= read -r line; do
    curls=$((curls + 1))
    command=${line//localhost:8000/127.0.0.1:$PORT}
    command=${command//127.0.0.1:8000/127.0.0.1:$PORT}
    expected=$(sed -n 's/.*#[[:space:]]*\([1-5][0-9][0-9]\)\b.*/\1/p' <<<"$line")
    : >"$WORK/status"
    set +e
    (cd "$WORK" && bash -o pipefail -c "$command" >"$WORK/tour.out" 2>&1)
    code=$?
    set -e
    status=$(grep -E '^[0-9]{3}$' "$WORK/status" | tail -n 1)
    if [ -n "$expected" ]; then
        [ "$status" = "$expected" ] || problem "README tour: \`$line\` answered ${status:-nothing}, the comment says $expected"
    elif [[ ! $status =~ ^2 ]]; then
        problem "README tour: \`$line\` answered ${status:-nothing}: $(head -c 300 "$WORK/tour.out")"
    elif [ "$code" -ne 0 ] && ! { [ "$code" -eq 28 ] && grep -Eq '(^| )-[A-Za-z]*N' <<<"$line"; }; then
        problem "README tour: \`$line\` exited $code: $(head -c 300 "$WORK/tour.out")"
    fi
done <"$WORK/tour"

# --- 3. make install ------------------------------------------------------------------------
install_plan=$(make -n install PREFIX=/opt/monitord DESTDIR="$WORK/stage" 2>&1)
grep -q "install -m 0755 .build/release/monitord \"$WORK/stage/opt/monitord/bin/monitord\"" <<<"$install_plan" \
    || problem "make install does not install .build/release/monitord into \$(DESTDIR)\$(PREFIX)/bin: $install_plan"

[ "$failures" -eq 0 ] || fail "$failures problem(s) in the docs"
echo "docs-check: ok: $blocks yaml blocks validate, $curls curl lines of the README tour answer as written, make install targets \$(DESTDIR)\$(PREFIX)/bin"
