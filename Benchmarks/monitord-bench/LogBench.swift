import Foundation
import Logging
import MonitorKitCore
import SinkLog

/// Log lines/s written to a file by the log sink (bus → filter → ECS render → buffered write),
/// against a raw buffered write of the same pre-rendered lines in the same run.
enum LogBench {
    static let lines = 500_000

    static func run() async throws {
        print("== log (\(lines) cache.stats lines per run, best of 3, alternating sink and baseline)")
        let dir = NSTemporaryDirectory() + "monitord-logbench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var sinkRate = 0.0, rawRate = 0.0, lineBytes = 0
        for round in 0..<3 {
            let path = dir + "/sink-\(round).log"
            sinkRate = max(sinkRate, try await sinkLines(path: path))
            let sample = try firstLine(of: path)
            lineBytes = sample.count
            try FileManager.default.removeItem(atPath: path)
            rawRate = max(rawRate, rawLines(sample, path: dir + "/raw-\(round).log"))
            try FileManager.default.removeItem(atPath: dir + "/raw-\(round).log")
        }
        print("   log sink to a file           \(fmt(sinkRate / 1e3, 0))k lines/s  (\(lineBytes) bytes/line, \(fmt(sinkRate * Double(lineBytes) / 1e6, 1)) MB/s)")
        print("   baseline: raw write of lines \(fmt(rawRate / 1e3, 0))k lines/s")
        print("   ratio sink / raw write       \(fmt(sinkRate / rawRate, 2))x")
        print("   target: >= 200,000 lines/s: \(sinkRate >= 200_000 ? "met" : "NOT met")")
    }

    /// A full `cache.stats` sample, as the cache source publishes it.
    static func event(_ n: Int) -> Event {
        Event(source: "cache", name: "cache.stats", kind: .metric, time: 1_795_000_000 + Double(n) / 1000, fields: [
            "memory_items": .int(200), "disk_items": .int(5_000 + n % 100), "memory_hits": .int(90_000 + n), "disk_hits": .int(4_000),
            "misses": .int(6_000), "hits": .int(94_000 + n), "total_requests": .int(100_000 + n), "hit_rate": .double(0.9412),
            "recent_hit_rate": .double(0.8731), "expired_entries": .int(12), "evictions": .int(340), "disk_evictions": .int(0),
            "cache_size_mb": .double(123.45), "uptime_minutes": .double(61.5), "start_time": .double(1_794_996_310.2),
            "sets": .int(5_400), "deletes": .int(20), "corrupt_entries": .int(0), "disk_errors": .int(0),
            "max_memory_size": .int(200), "default_ttl": .int(3600), "cache_dir": .string("/var/cache/monitord"),
            "timestamp": .double(1_795_000_000.123),
        ])
    }

    static func sinkLines(path: String) async throws -> Double {
        let bus = EventBus()
        let context = SinkBuildContext(
            id: "log", logger: Logger(label: "bench"), emitter: Emitter(source: "log", bus: bus),
            runtime: RuntimeContext(sources: [], bus: bus))
        let sink = try await LogSinkConfig(path: path).build(context: context)
        let subscription = bus.subscribe("log", buffer: LogSinkConfig.defaultBuffer)
        let events = (0..<1000).map(event)
        let start = ContinuousClock.now
        let running = Task { try await sink.run(events: subscription) }
        for n in 0..<lines { await bus.publish(events[n % events.count]) }
        subscription.finish()
        try await running.value
        return Double(lines) / seconds(ContinuousClock.now - start)
    }

    /// The same number of lines of the same size, written with the same 64 KiB buffering.
    static func rawLines(_ line: [UInt8], path: String) -> Double {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        defer { close(fd) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(70_000)
        let start = ContinuousClock.now
        for _ in 0..<lines {
            buffer.append(contentsOf: line)
            if buffer.count >= 64 * 1024 {
                _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return Double(lines) / seconds(ContinuousClock.now - start)
    }

    static func firstLine(of path: String) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 16 * 1024) ?? Data()
        guard let newline = head.firstIndex(of: 10) else { return Array(head) }
        return Array(head[...newline])
    }

    static func seconds(_ d: Duration) -> Double {
        d.seconds
    }

    static func fmt(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
