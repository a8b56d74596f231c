import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

/// The HTTP API of the real binary, through a real client, as a user sees it.
@Suite("monitord HTTP API")
struct HTTPEndToEndTests {
    static let config = """
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s, max_memory_size: 1 }
          internal: { type: internal, interval: 1s }
        sinks:
          api: { type: http, port: {{port}}, max_body_size: 64KiB, events_heartbeat: 200ms }
        """

    static func start(_ config: String = config, environment: [String: String] = [:]) async throws -> MonitordProcess {
        let daemon = try MonitordProcess(config: config, environment: environment)
        try await daemon.waitUntilServing()
        return daemon
    }

    @Test("the original hit-rate scenario: clear, PUT, GET twice, GET a miss")
    func hitRateScenario() async throws {
        let daemon = try await Self.start()
        let base = daemon.baseURL
        #expect(try await HTTP.request(.DELETE, "\(base)/api/cache/clear").status == 200)
        #expect(try await HTTP.request(.PUT, "\(base)/api/cache/entries/k", body: Array("v".utf8)).status == 200)
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/entries/k").text == "v")
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/entries/k").text == "v")
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/entries/missing").status == 404)
        let stats = try await HTTP.request(.GET, "\(base)/api/cache/stats").json()
        #expect(stats["total_requests"] == .int(3))
        #expect(stats["hits"] == .int(2))
        #expect(stats["misses"] == .int(1))
        #expect(abs((stats["hit_rate"]?.doubleValue ?? 0) - 0.6667) < 0.0001)
        try await daemon.stop()
    }

    @Test("stats, simple stats and clear keep the original names and JSON types")
    func statisticsContract() async throws {
        let daemon = try await Self.start()
        let base = daemon.baseURL
        let stats = try await HTTP.request(.GET, "\(base)/api/cache/stats").json()
        for name in ["memory_items", "disk_items", "hits", "misses", "total_requests", "sets", "max_memory_size", "default_ttl"] {
            guard case .int = stats[name] else { Issue.record("\(name) is not an integer: \(String(describing: stats[name]))"); continue }
        }
        for name in ["hit_rate", "recent_hit_rate", "cache_size_mb", "uptime_minutes", "start_time", "timestamp"] {
            guard case .double = stats[name] else { Issue.record("\(name) is not a float: \(String(describing: stats[name]))"); continue }
        }
        let simple = try await HTTP.request(.GET, "\(base)/api/cache/stats?simple=true").json()
        #expect(simple.objectValue?.names == ["memory_items", "disk_items", "hit_rate", "expired_entries", "uptime_minutes", "cache_size_mb"])
        let clear = try await HTTP.request(.DELETE, "\(base)/api/cache/clear?reset_stats=false")
        #expect(clear.status == 200)
        let body = try clear.json()
        #expect(body["status"] == .string("Cache cleared successfully"))
        #expect(body["cleared_items"]?.objectValue?.names == ["memory_items", "disk_items", "total_items"])
        guard case .double = body["timestamp"] else { Issue.record("timestamp is not a float"); return }
        try await daemon.stop()
    }

    @Test("the data plane stores any bytes with TTL and metadata, and says which tier answered")
    func dataPlane() async throws {
        let daemon = try await Self.start()
        let entries = "\(daemon.baseURL)/api/cache/entries/"
        let bytes = (0...255).map(UInt8.init)
        let put = try await HTTP.request(.PUT, entries + "bin%2Fone?ttl=60", headers: [("X-Meta-Lang", "fr")], body: bytes)
        #expect(put.status == 200)
        #expect(try put.json()["ttl"] == .double(60))
        let hit = try await HTTP.request(.GET, entries + "bin%2Fone")
        #expect(hit.body == bytes)
        #expect(hit.header("X-Cache") == "memory")
        #expect(hit.header("X-Meta-Lang") == "fr")
        // max_memory_size is 1: a second entry pushes the first out of memory, not off disk.
        _ = try await HTTP.request(.PUT, entries + "two", headers: [("Cache-Control", "max-age=60")], body: [2])
        #expect(try await HTTP.request(.GET, entries + "bin%2Fone").header("X-Cache") == "disk")
        let miss = try await HTTP.request(.GET, entries + "nothing")
        #expect(miss.status == 404)
        #expect(try miss.json()["error"]?["code"] == .string("not_found"))
        #expect(try await HTTP.request(.PUT, entries + "bad?ttl=soon", body: [1]).status == 400)
        #expect(try await HTTP.request(.DELETE, entries + "two").status == 200)
        #expect(try await HTTP.request(.GET, entries + "two").status == 404)
        let tooBig = try await HTTP.request(.PUT, entries + "big", body: Array(repeating: 0, count: (64 << 10) + 1))
        #expect(tooBig.status == 413)
        #expect(try tooBig.json()["error"]?["code"] == .string("payload_too_large"))
        try await daemon.stop()
    }

    @Test("operations routes: health, sources, alerts, history, openapi, dashboard, errors")
    func operationsRoutes() async throws {
        let daemon = try await Self.start()
        let base = daemon.baseURL
        let health = try await HTTP.request(.GET, "\(base)/health")
        #expect(health.status == 200)
        let components = try health.json()["components"]?.objectValue?.names ?? []
        #expect(Set(components) == ["cache", "internal", "api"])
        let sources = try await HTTP.request(.GET, "\(base)/api/sources").json()
        #expect(sources["sinks"] != nil)
        #expect(try await HTTP.request(.GET, "\(base)/api/alerts").json()["alerts"] == .list([]))
        try await waitFor("a cache.stats sample in the history") {
            try await HTTP.request(.GET, "\(base)/api/cache/history?limit=1").json()["count"] == .int(1)
        }
        let openAPI = try await HTTP.request(.GET, "\(base)/openapi.yaml")
        #expect(openAPI.text.hasPrefix("openapi: 3.1"))
        let page = try await HTTP.request(.GET, "\(base)/")
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("ETag") != nil)
        let unknownRoute = try await HTTP.request(.GET, "\(base)/api/cache/nope")
        #expect(unknownRoute.status == 404)
        #expect(try unknownRoute.json()["error"]?["code"] == .string("not_found"))
        let unknownSource = try await HTTP.request(.GET, "\(base)/api/cahce/stats")
        #expect(unknownSource.status == 404)
        #expect(try unknownSource.json()["error"]?["code"] == .string("unknown_source"))
        try await daemon.stop()
    }

    @Test("a store that cannot write answers 503 with the reason")
    func storeUnavailable() async throws {
        let daemon = try await Self.start()
        // The cache directory turns into a file: even root cannot write entries under it now.
        let cacheDir = daemon.directory.appendingPathComponent("cache")
        try FileManager.default.removeItem(at: cacheDir)
        try Data("not a directory".utf8).write(to: cacheDir)
        let put = try await HTTP.request(.PUT, "\(daemon.baseURL)/api/cache/entries/k", body: [1])
        #expect(put.status == 503)
        #expect(try put.json()["error"]?["code"] == .string("unavailable"))
        #expect(try await HTTP.request(.GET, "\(daemon.baseURL)/api/cache/stats").json()["disk_errors"] == .int(1))
        try await daemon.stop()
    }

    @Test("with auth_token, writes need the bearer token and reads stay open")
    func authentication() async throws {
        let config = Self.config.replacingOccurrences(of: "max_body_size: 64KiB", with: "auth_token: \"${MONITORD_API_TOKEN}\"")
        let daemon = try await Self.start(config, environment: ["MONITORD_API_TOKEN": "hunter2"])
        let base = daemon.baseURL
        let denied = try await HTTP.request(.PUT, "\(base)/api/cache/entries/k", body: [1])
        #expect(denied.status == 401)
        #expect(try denied.json()["error"]?["code"] == .string("unauthorized"))
        #expect(try await HTTP.request(.DELETE, "\(base)/api/cache/clear", headers: [("Authorization", "Bearer hunter3")]).status == 401)
        let allowed = try await HTTP.request(.PUT, "\(base)/api/cache/entries/k", headers: [("Authorization", "Bearer hunter2")], body: [1])
        #expect(allowed.status == 200)
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/entries/k").status == 200)
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/stats").status == 200)
        try await daemon.stop()
    }

    @Test("the Python example of docs/http-api.md runs against the daemon", .enabled(if: pythonWithRequests()))
    func pythonExample() async throws {
        let daemon = try await Self.start()
        let docs = try String(contentsOf: MonitordProcess.repositoryRoot.appendingPathComponent("docs/http-api.md"), encoding: .utf8)
        let section = try #require(docs.components(separatedBy: "### Use the cache from any language").last)
        let code = try #require(section.components(separatedBy: "```python\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(code.split(separator: "\n").count <= 10, "the example should stay at 10 lines")
        let script = daemon.directory.appendingPathComponent("example.py")
        try code.replacingOccurrences(of: "http://127.0.0.1:8000", with: daemon.baseURL).write(to: script, atomically: true, encoding: .utf8)
        let output = try Self.run("/usr/bin/env", ["python3", script.path])
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text == "200 memory fr Bonjour tout le monde\n404\n")
        try await daemon.stop()
    }

    static func pythonWithRequests() -> Bool {
        (try? run("/usr/bin/env", ["python3", "-c", "import requests"]).status) == 0
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
