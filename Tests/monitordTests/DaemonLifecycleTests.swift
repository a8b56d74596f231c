import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's start and stop, as an operator sees them.
@Suite("monitord run")
struct DaemonLifecycleTests {
    static let config = """
        monitord: { shutdown_timeout: 5s }
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s }
          internal: { type: internal, interval: 1s }
        sinks:
          api: { type: http, port: {{port}} }
        """

    @Test("logs what it started, serves, and exits 0 on SIGTERM and on SIGINT", arguments: [SIGTERM, SIGINT])
    func gracefulStop(signal: Int32) async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let health = try await HTTP.request(.GET, "\(daemon.baseURL)/health")
        #expect(health.status == 200)
        let status = try await daemon.stop(signal: signal)
        #expect(status == 0, "\(daemon.stderr)")
        for fragment in ["starting", "source=cache", "source=internal", "sink=api", "monitord stopped"] {
            #expect(daemon.stderr.contains(fragment), "missing \(fragment) in:\n\(daemon.stderr)")
        }
    }

    @Test("a port in use is one line naming host and port, and exit 1")
    func portInUse() async throws {
        let first = try MonitordProcess(config: Self.config)
        try await first.waitUntilServing()
        let second = try MonitordProcess(config: Self.config.replacingOccurrences(of: "{{port}}", with: String(first.port)))
        try await waitFor("the second monitord to exit", timeout: .seconds(20)) { !second.process.isRunning }
        #expect(second.process.terminationStatus == 1)
        let errorLines = second.stderr.split(separator: "\n").filter { $0.hasPrefix("monitord: ") }
        #expect(errorLines.count == 1, "\(second.stderr)")
        #expect(errorLines.first?.contains("127.0.0.1:\(first.port)") == true, "\(second.stderr)")
        #expect(!second.stderr.contains("Fatal error"))
        try await first.stop()
    }

    @Test("a cache directory that cannot be created is one line naming the path")
    func unwritableCacheDir() async throws {
        // A path under a regular file cannot become a directory, even for root.
        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, cache_dir: "{{dir}}/monitord.yaml/cache" }
            sinks:
              api: { type: http, port: {{port}} }
            """)
        try await waitFor("monitord to exit", timeout: .seconds(20)) { !daemon.process.isRunning }
        #expect(daemon.process.terminationStatus == 1)
        let errorLines = daemon.stderr.split(separator: "\n").filter { $0.hasPrefix("monitord: ") }
        #expect(errorLines.count == 1, "\(daemon.stderr)")
        #expect(errorLines.first?.contains("\(daemon.directory.path)/monitord.yaml/cache") == true, "\(daemon.stderr)")
    }

    @Test("an invalid config refuses to start with exit 78 and every error")
    func invalidConfigRefusesToRun() async throws {
        let daemon = try MonitordProcess(config: "sources:\n  cache: { type: cache, max_memory_size: lots }\n")
        try await waitFor("monitord to exit", timeout: .seconds(20)) { !daemon.process.isRunning }
        #expect(daemon.process.terminationStatus == 78)
        #expect(daemon.stderr.contains("monitord.yaml:2:42: sources.cache.max_memory_size: expected an integer, found \"lots\""), "\(daemon.stderr)")
    }
}
