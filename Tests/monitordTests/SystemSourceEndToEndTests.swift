import Foundation
import MonitorKitCore
import Testing

/// The `system` source in the real binary: its figures in `/metrics`, `/api/sources` and the log,
/// and an alert rule on one of them that fires when the daemon holds more files open and
/// resolves when they close.
@Suite struct SystemSourceEndToEndTests {
    static let config = """
        sources:
          cache: { type: cache, interval: 1s, cache_dir: "{{dir}}/cache" }
          system: { type: system, interval: 200ms }
        sinks:
          api: { type: http, host: 127.0.0.1, port: {{port}} }
          log: { type: log, path: "{{dir}}/events.log", inputs: [system, alerts], flush_interval: 50ms }
          alerts:
            type: alerts
            rules:
              - { name: ManyOpenFiles, metric: system.open_fds, above: 90, severity: warning }
        """

    static func logged(_ daemon: MonitordProcess) throws -> [Fields] {
        let path = daemon.directory.appendingPathComponent("events.log").path
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try JSONParser.parse(String($0)).objectValue }
    }

    static func alertStates(_ daemon: MonitordProcess) throws -> [String] {
        try logged(daemon).compactMap { $0["alerts"]?.objectValue?["state"]?.stringValue }
    }

    @Test func figuresReachEverySinkAndARuleOnOneFiresAndResolves() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let base = daemon.baseURL

        let stats = try await HTTP.request(.GET, "\(base)/api/system/stats").json()
        let openBefore = try #require(stats["open_fds"]?.intValue)
        #expect(openBefore < 90, "the daemon already holds \(openBefore) files open; the rule's threshold must sit above that")
        #expect((stats["resident_memory_bytes"]?.intValue ?? 0) > 1 << 20)
        #expect((stats["cache_fs_free_ratio"]?.doubleValue ?? -1) > 0)
        #expect(stats["cache_fs_path"]?.stringValue?.hasSuffix("/cache") == true)

        let metrics = try await HTTP.request(.GET, "\(base)/metrics").text
        #expect(metrics.contains("# TYPE monitord_system_cpu_seconds_total counter"))
        #expect(metrics.contains(#"monitord_system_filesystem_free_ratio{source="system",path="cache"}"#))
        #expect(metrics.contains(#"monitord_system_open_fds{source="system"}"#))

        let sources = try await HTTP.request(.GET, "\(base)/api/sources").json()
        guard case .list(let list)? = sources["sources"] else { Issue.record("no sources list"); return }
        let system = try #require(list.first { $0["id"] == "system" })
        guard case .list(let declared)? = system["metrics"] else { Issue.record("no metrics on the system source"); return }
        #expect(declared.contains { $0["name"] == "cache_fs_free_ratio" && $0["kind"] == "gauge" && $0["unit"] == "ratio" })

        try await waitFor("system samples in the log") {
            try Self.logged(daemon).contains { $0["event"]?["action"] == "system.stats" || $0["event.action"] == "system.stats" }
        }

        // 100 idle connections: 100 more descriptors in the daemon.
        var connections: [RawConnection] = []
        for _ in 0..<100 { connections.append(try RawConnection(port: daemon.port)) }
        try await waitFor("ManyOpenFiles to fire", timeout: .seconds(20)) { try Self.alertStates(daemon).contains("firing") }
        let firing = try #require(try Self.logged(daemon).first { $0["alerts"]?.objectValue?["state"] == "firing" })
        #expect(firing["log.level"] == "warn")
        connections.removeAll()
        try await waitFor("ManyOpenFiles to resolve", timeout: .seconds(20)) { try Self.alertStates(daemon).contains("resolved") }
        try await daemon.stop()
    }
}
