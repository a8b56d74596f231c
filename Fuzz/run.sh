#!/usr/bin/env bash
# Builds each libFuzzer target with `swiftc -sanitize=fuzzer,address` into .build-fuzz/ and runs
# it for a bounded time on its committed corpus; fails on the first crash, leak or timeout.
#
#   Fuzz/run.sh [seconds-per-target] [target...]     (default 30 s, every target)
#
# Targets: json-parser, yaml-config, entry-file, entry-path (one folder each under Fuzz/, with
# Harness.swift and corpus/). New inputs libFuzzer finds go to .build-fuzz/<target>/found/, never
# into the committed corpus; a crashing input is left in .build-fuzz/<target>/ and printed.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-${FUZZ_SECONDS:-30}}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(json-parser entry-path entry-file yaml-config)
if [ "$SECONDS_EACH" -gt 60 ] 2>/dev/null; then echo "fuzz: at most 60 s per target in this script"; exit 2; fi

OUT=.build-fuzz
mkdir -p "$OUT"
SWIFTC=${SWIFTC:-swiftc}
# lld: gold warns about ASan's local symbols on every link.
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld -swift-version 6)

# Sets INPUTS to what swiftc compiles and links with a target's harness.
inputs_of() {
    INPUTS=()
    case "$1" in
        json-parser) INPUTS=(Sources/MonitorKitCore/Event/*.swift) ;;
        entry-path) INPUTS=(Sources/SinkHTTP/API/EntryPath.swift Sources/SinkHTTP/API/PercentDecoding.swift) ;;
        entry-file) INPUTS=(Sources/CacheSource/Disk/EntryFile.swift Sources/CacheSource/Disk/Checksum64.swift) ;;
        yaml-config)
            # All of MonitorKitCore (the loader reaches the plugin protocols, which reach the
            # bus and the logger), with libyaml, and its package dependencies linked from the
            # debug build: not instrumented, as only our own code needs coverage.
            local bin module
            bin=$(swift build --show-bin-path 2>/dev/null)
            [ -d "$bin/Modules/Logging.swiftmodule" ] || swift build --product monitord >/dev/null
            mapfile -t INPUTS < <(find Sources/MonitorKitCore -name '*.swift' | sort)
            INPUTS+=(-lyaml -I "$bin/Modules")
            # From SwiftPM's own record of the debug build: the C module maps and include paths
            # MonitorKitCore is compiled with (CYAML, and the C shims under NIOCore), and the
            # objects of its dependency closure (C targets keep theirs in subfolders).
            mapfile -t -O "${#INPUTS[@]}" INPUTS < <(python3 - "$bin" <<'PY'
import json, os, sys
bin = sys.argv[1]
build = json.load(open(os.path.join(bin, "description.json")))
commands = [c for c in build["swiftCommands"].values() if c.get("moduleName") == "MonitorKitCore"]
if not commands:
    sys.exit("fuzz: the debug build records no MonitorKitCore module")
arguments = commands[0]["otherArguments"]
for index, argument in enumerate(arguments[:-1]):
    if argument == "-Xcc":
        print("-Xcc")
        print(arguments[index + 1])
graph = build["targetDependencyMap"]
seen, todo = set(), ["MonitorKitCore"]
while todo:
    for dependency in graph.get(todo.pop(), []):
        if dependency not in seen:
            seen.add(dependency)
            todo.append(dependency)
for module in sorted(seen):
    objects = []
    for folder, _, files in os.walk(os.path.join(bin, module + ".build")):
        objects += [os.path.join(folder, name) for name in files if name.endswith(".o")]
    print("\n".join(sorted(objects))) if objects else None
PY
            )
            ;;
        *) echo "fuzz: unknown target $1" >&2; return 1 ;;
    esac
}

failed=0
for target in "${TARGETS[@]}"; do
    dir="$OUT/$target"
    mkdir -p "$dir/found"
    binary="$dir/fuzz-$target"
    start=$SECONDS
    inputs_of "$target"
    # Rebuilt only when the harness or a Swift source it compiles changed.
    stale=no
    [ -x "$binary" ] || stale=yes
    for input in "Fuzz/$target/Harness.swift" "${INPUTS[@]}"; do
        [[ "$input" == *.swift && "$input" -nt "$binary" ]] && stale=yes
    done
    if [ "$stale" = no ]; then
        echo "== fuzz $target: up to date"
    else
        echo "== fuzz $target: building"
    fi
    if [ "$stale" = yes ] && ! "$SWIFTC" "${FLAGS[@]}" -module-name "Fuzz${target//-/}" -o "$binary" "Fuzz/$target/Harness.swift" "${INPUTS[@]}" \
        >"$dir/build.log" 2>&1; then
        cat "$dir/build.log"; echo "fuzz $target: FAILED to build"; exit 1
    fi
    echo "   ready in $((SECONDS - start)) s; running ${SECONDS_EACH} s on $(ls "Fuzz/$target/corpus" | wc -l) seeds"
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
    # No Swift backtracer: it fights ASan for the crashed process, and libFuzzer reports anyway.
    if SWIFT_BACKTRACE=enable=no "$binary" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$dir/" -print_final_stats=1 "$dir/found" "Fuzz/$target/corpus" >"$dir/run.log" 2>&1; then
        echo "   ok: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/run.log" | grep -o '[0-9]*$') runs, $(grep -o 'cov: [0-9]*' "$dir/run.log" | tail -1), no crash"
    else
        failed=1
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|Precondition failed|^artifact_prefix|Test unit written' "$dir/run.log" | head -20
        for artifact in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
            [ -e "$artifact" ] || continue
            echo "   input ($artifact):"; od -c "$artifact" | head -10
        done
        echo "fuzz $target: FAILED (full log: $dir/run.log)"
    fi
done
exit $failed
