import Foundation
import MonitorKitCore
import NIOHTTP1
import Synchronization
import Testing

/// The cache's promises on its bad day, against the real binary: an acknowledged write is kept,
/// an entry that cannot fit is refused, and a clear of a big cache stalls nothing else.
@Suite("monitord: the cache on its bad day")
struct CacheTrustEndToEndTests {
    /// The fixture that fills a cache directory before a daemon starts on it.
    static var writer: URL { MonitordProcess.binary.deletingLastPathComponent().appendingPathComponent("cache-writer") }

    @Test("a PUT whose entry cannot fit max_disk_size answers 413, and the entries already there stay")
    func tooLargeForTheDisk() async throws {
        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s, max_disk_size: 1MB }
            sinks:
              api: { type: http, port: {{port}}, max_body_size: 4MiB }
            """)
        try await daemon.waitUntilServing()
        let base = daemon.baseURL + "/api/cache"
        for key in ["a", "b", "c"] {
            #expect(try await HTTP.request(.PUT, "\(base)/entries/\(key)", body: Array("small \(key)".utf8)).status == 200)
        }
        let put = try await HTTP.request(.PUT, "\(base)/entries/big", body: [UInt8](repeating: 1, count: 1_000_000))
        #expect(put.status == 413)
        #expect(try put.json()["error"]?["code"] == .string("too_large"))
        #expect(put.text.contains("max_disk_size is 1000000 bytes"))
        for key in ["a", "b", "c"] {
            #expect(try await HTTP.request(.GET, "\(base)/entries/\(key)").text == "small \(key)")
        }
        #expect(try await HTTP.request(.GET, "\(base)/entries/big").status == 404)
        let stats = try await HTTP.request(.GET, "\(base)/stats").json()
        #expect(stats["disk_items"] == .int(3))
        #expect(stats["disk_evictions"] == .int(0))
        try await daemon.stop()
    }

    @Test("/health and /metrics answer within 100 ms while a clear removes a big cache and 8 clients read")
    func healthDuringClear() async throws {
        let entries = 30_000
        let cacheDirectory = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDirectory) }
        // Fill the directory before the daemon starts: much faster than as many PUTs.
        let fill = Process()
        fill.executableURL = Self.writer
        fill.arguments = [cacheDirectory.path, "--fill", String(entries)]
        fill.standardOutput = FileHandle.nullDevice
        try fill.run()
        try await waitFor("cache-writer to fill \(entries) entries", timeout: .seconds(600)) { !fill.isRunning }
        #expect(fill.terminationStatus == 0)

        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, cache_dir: "\(cacheDirectory.path)", interval: 1s, max_memory_size: 100 }
              internal: { type: internal, interval: 1s }
            sinks:
              api: { type: http, port: {{port}} }
            """)
        try await daemon.waitUntilServing()
        let base = daemon.baseURL
        let before = try await HTTP.request(.GET, "\(base)/api/cache/stats", timeout: .seconds(60)).json()
        #expect(before["disk_items"] == .int(entries))

        let clearing = ClearProgress()
        // Eight clients reading keys that are not there: every one of them goes to the disk.
        let readers = (0..<8).map { reader in
            Task {
                var n = 0
                while !clearing.isDone {
                    n += 1
                    _ = try? await HTTP.request(.GET, "\(base)/api/cache/entries/missing-\(reader)-\(n)", timeout: .seconds(30))
                }
            }
        }
        let clearStarted = ContinuousClock.now
        let clear = Task {
            defer { clearing.finish() }
            return try await HTTP.request(.DELETE, "\(base)/api/cache/clear", timeout: .seconds(300))
        }
        let probes = await Probe.run(port: daemon.port, paths: ["/health", "/metrics"], until: clearing)
        let cleared = try await clear.value
        let clearTook = ContinuousClock.now - clearStarted
        for reader in readers { await reader.value }
        #expect(cleared.status == 200)
        #expect(try cleared.json()["cleared_items"]?["disk_items"] == .int(entries))
        #expect(probes.count >= 4, "the clear ended before /health and /metrics were asked twice")
        for failure in probes.compactMap(\.failure) { Issue.record("a probe failed during the clear: \(failure)") }
        for probe in probes where probe.status != 200 { Issue.record("\(probe.path) answered \(probe.status) during the clear") }
        let latencies = probes.map(\.milliseconds).sorted()
        let slowest = probes.max { $0.milliseconds < $1.milliseconds }
        let p50 = latencies.isEmpty ? 0 : latencies[latencies.count / 2]
        let p99 = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        #expect(
            (slowest?.milliseconds ?? 0) < 100,
            "\(slowest?.path ?? "") took \(slowest?.milliseconds ?? 0) ms during the clear (\(probes.count) requests in the \(clearTook) the clear took, median \(p50) ms, p99 \(p99) ms, \(latencies.filter { $0 >= 100 }.count) at 100 ms or more)")
        let after = try await HTTP.request(.GET, "\(base)/api/cache/stats", timeout: .seconds(60)).json()
        #expect(after["disk_items"] == .int(0))
        try await daemon.stop()
    }
}

/// Asks the daemon for `paths` in turn until `done`, from a thread of its own over a new connection
/// each time, so that the figures are the daemon's. The readers share the test's HTTP client,
/// whose pool keeps 8 connections to a host, and the test's two cooperative threads: a probe
/// made through them waits for a reader's disk lookup to finish and measures the test instead.
enum Probe {
    struct Result: Sendable {
        var path: String
        var status: Int
        var milliseconds: Double
        var failure: String?
    }

    static func run(port: Int, paths: [String], until done: ClearProgress) async -> [Result] {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var results: [Result] = []
                while !done.isDone {
                    for path in paths {
                        let started = ContinuousClock.now
                        var result = Result(path: path, status: 0, milliseconds: 0)
                        do {
                            let connection = try RawConnection(port: port)
                            try connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
                            result.status = try connection.response(within: 30).status
                        } catch {
                            result.failure = "\(path): \(error)"
                        }
                        let elapsed = ContinuousClock.now - started
                        result.milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                        results.append(result)
                    }
                }
                continuation.resume(returning: results)
            }
            thread.start()
        }
    }
}

/// Whether the clear under test has answered, for the loops that run alongside it.
final class ClearProgress: Sendable {
    private let done = Atomic<Bool>(false)
    var isDone: Bool { done.load(ordering: .acquiring) }
    func finish() { done.store(true, ordering: .releasing) }
}
