// The child process of the two-process cache tests (Tests/CacheSourceTests/TwoProcessTests.swift).
//
//     cache-hammer set <directory> <key> <value>     one acknowledged set, then exit 0
//     cache-hammer delete <directory> <key>          one acknowledged delete
//     cache-hammer clear <directory>                 one acknowledged clear
//     cache-hammer hammer <directory> <writer> <seconds> <keys> <log> <peer-log>
//
// `hammer` writes `<log>.ready`, waits for `<log>.go`, then for <seconds> runs random gets, sets,
// deletes and clears on `<keys>` overlapping keys, with a sweep every second as the cache source
// runs it. Every operation is logged with its start and end on CLOCK_MONOTONIC (one clock for
// every process on the machine) so the test can decide whether any read was stale. Each value
// names its writer and sequence number and carries bytes derived from both, so a torn or mixed
// value is caught too. At the end it writes `<log>`, then `<log>.done`, waits for
// `<peer-log>.done`, sweeps once more and writes `<log>.stats`: `disk_items size_bytes`.
import CacheSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// `<writer>:<sequence>:` then filler bytes derived from both, `length` bytes in all.
func hammerValue(writer: Int, sequence: Int, length: Int) -> [UInt8] {
    var bytes = Array("\(writer):\(sequence):".utf8)
    var x = UInt64(truncatingIfNeeded: writer &* 1_000_003 &+ sequence) | 1
    while bytes.count < length {
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        bytes.append(UInt8(truncatingIfNeeded: x))
    }
    return bytes
}

func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func touch(_ path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    if fd >= 0 { close(fd) }
}

func save(_ text: String, to path: String) -> Bool {
    let temporary = path + ".part"
    guard let file = fopen(temporary, "w") else { return false }
    let ok = fputs(text, file) >= 0
    fclose(file)
    return ok && rename(temporary, path) == 0
}

func waitFor(_ path: String) {
    while !exists(path) { usleep(1000) }
}

func fail(_ message: String) -> Never {
    let line = Array("cache-hammer: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

/// The sequence of a value this fixture wrote, `"<writer>:<sequence>"`, checked byte for byte;
/// `"?"` for anything else.
func identify(_ value: [UInt8]) -> String {
    let parts = value.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, let writer = Int(String(decoding: parts[0], as: UTF8.self)),
          let sequence = Int(String(decoding: parts[1], as: UTF8.self)),
          hammerValue(writer: writer, sequence: sequence, length: value.count) == value
    else { return "?" }
    return "\(writer):\(sequence)"
}

func hammer(directory: String, writer: Int, seconds: Double, keys: Int, log: String, peerLog: String) throws {
    // A small memory tier (evictions, and values over 8 KiB served from disk only) and no expiry
    // or disk limit, so every miss must be explained by a delete or a clear.
    let cache = try CacheManager(
        directory: directory, maxMemoryItems: 24, maxMemoryBytes: 96 << 10, maxMemoryValueBytes: 8 << 10,
        defaultTTL: .zero, maxDiskBytes: 0)
    touch(log + ".ready")
    waitFor(log + ".go")
    var lines: [String] = []
    lines.reserveCapacity(1 << 20)
    var rng = SystemRandomNumberGenerator()
    var sequence = 0
    var errors = 0
    let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
    var nextSweep = monotonicNanoseconds() + 1_000_000_000
    while true {
        let now = monotonicNanoseconds()
        if now >= deadline { break }
        if now >= nextSweep {
            cache.sweep()
            nextSweep = monotonicNanoseconds() + 1_000_000_000
        }
        let key = "k\(Int.random(in: 0..<keys, using: &rng))"
        let dice = Int.random(in: 0..<10_000, using: &rng)
        let start = monotonicNanoseconds()
        do {
            if dice < 5500 {
                let stored = try cache.getWithMetadata(key)
                let end = monotonicNanoseconds()
                lines.append("G \(key) \(start) \(end) \(stored.map { identify($0.bytes) } ?? "-") \(stored?.tier ?? "-")")
            } else if dice < 8500 {
                sequence += 1
                let length = Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 8200...12_000, using: &rng) : Int.random(in: 16...2048, using: &rng)
                let value = hammerValue(writer: writer, sequence: sequence, length: length)
                do {
                    try cache.set(key, value)
                } catch {
                    // Not acknowledged: the test knows the value may or may not have landed.
                    lines.append("F \(key) \(start) \(monotonicNanoseconds()) \(writer):\(sequence) \(error)")
                    errors += 1
                    continue
                }
                lines.append("S \(key) \(start) \(monotonicNanoseconds()) \(writer):\(sequence)")
            } else if dice < 9995 {
                try cache.delete(key)
                lines.append("D \(key) \(start) \(monotonicNanoseconds())")
            } else {
                cache.clear(resetStats: false)
                lines.append("C * \(start) \(monotonicNanoseconds())")
            }
        } catch {
            lines.append("E \(key) \(start) \(monotonicNanoseconds()) \(error)")
            errors += 1
        }
    }
    guard save(lines.joined(separator: "\n") + "\n", to: log) else { fail("cannot write \(log)") }
    touch(log + ".done")
    waitFor(peerLog + ".done")
    cache.sweep()
    let stats = cache.stats()
    guard save("\(stats.diskItems) \(stats.sizeBytes) \(errors)\n", to: log + ".stats") else { fail("cannot write \(log).stats") }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch (arguments.first, arguments.count) {
    case ("set"?, 4):
        try CacheManager(directory: arguments[1]).set(arguments[2], Array(arguments[3].utf8))
    case ("delete"?, 3):
        try CacheManager(directory: arguments[1]).delete(arguments[2])
    case ("clear"?, 2):
        try CacheManager(directory: arguments[1]).clear()
    case ("hammer"?, 7):
        guard let writer = Int(arguments[2]), let seconds = Double(arguments[3]), let keys = Int(arguments[4]), keys > 0 else {
            fail("hammer: writer, seconds and keys must be numbers")
        }
        try hammer(directory: arguments[1], writer: writer, seconds: seconds, keys: keys, log: arguments[5], peerLog: arguments[6])
    default:
        fail("usage: cache-hammer set <dir> <key> <value> | delete <dir> <key> | clear <dir> | hammer <dir> <writer> <seconds> <keys> <log> <peer-log>")
    }
} catch {
    fail("\(error)")
}
