import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

/// `/health` while the cache directory is broken under a running daemon: writes fail (503), the
/// cache source is `failing` until a write succeeds again, and a removed directory is made again.
@Suite("monitord cache directory health")
struct CacheDirectoryHealthEndToEndTests {
    // No sweep during the test: each step is a write, so what /health says follows the writes.
    static let config = """
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s, sweep_interval: 1d }
        sinks:
          api: { type: http, port: {{port}} }
        """

    static func health(_ daemon: MonitordProcess) async throws -> (status: Int, body: Value) {
        let response = try await HTTP.request(.GET, daemon.baseURL + "/health")
        return (response.status, try response.json())
    }

    @Test("a removed cache_dir: PUT 503 and /health 503 naming the cache, then the next PUT recreates it")
    func removedDirectory() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let entries = daemon.baseURL + "/api/cache/entries/"
        let cacheDir = daemon.directory.appendingPathComponent("cache")
        #expect(try await HTTP.request(.PUT, entries + "before", body: [1]).status == 200)
        #expect(try await Self.health(daemon).status == 200)

        try FileManager.default.removeItem(at: cacheDir)
        let refused = try await HTTP.request(.PUT, entries + "during", body: [2])
        #expect(refused.status == 503)
        #expect(try refused.json()["error"]?["code"] == .string("unavailable"))
        let failing = try await Self.health(daemon)
        #expect(failing.status == 503)
        #expect(failing.body["status"] == .string("unhealthy"))
        #expect(failing.body["failing"] == .list([.string("cache")]))
        #expect(failing.body["components"]?["cache"]?["state"] == .string("failing"))
        let message = failing.body["components"]?["cache"]?["message"]?.stringValue ?? ""
        #expect(message.contains(cacheDir.path) && message.contains("no longer exists"), "\(message)")

        let recovered = try await HTTP.request(.PUT, entries + "after", body: [3])
        #expect(recovered.status == 200)
        #expect(FileManager.default.fileExists(atPath: cacheDir.path))
        #expect(try await HTTP.request(.GET, entries + "after").body == [3])
        let healthy = try await Self.health(daemon)
        #expect(healthy.status == 200)
        #expect(healthy.body["components"]?["cache"]?["state"] == .string("ok"))
        try await daemon.stop()
    }

    @Test("a file in place of cache_dir: failing until the file is gone, then a PUT recovers")
    func directoryReplacedByAFile() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let entries = daemon.baseURL + "/api/cache/entries/"
        let cacheDir = daemon.directory.appendingPathComponent("cache")
        try FileManager.default.removeItem(at: cacheDir)
        try Data("not a directory".utf8).write(to: cacheDir)

        #expect(try await HTTP.request(.PUT, entries + "k", body: [1]).status == 503)
        // The next write cannot make the directory either: still refused, still failing.
        #expect(try await HTTP.request(.PUT, entries + "k", body: [1]).status == 503)
        let failing = try await Self.health(daemon)
        #expect(failing.status == 503)
        let message = failing.body["components"]?["cache"]?["message"]?.stringValue ?? ""
        #expect(message.contains("no longer a directory"), "\(message)")

        try FileManager.default.removeItem(at: cacheDir)
        #expect(try await HTTP.request(.PUT, entries + "k", body: [1]).status == 200)
        #expect(try await Self.health(daemon).status == 200)
        try await daemon.stop()
    }
}
