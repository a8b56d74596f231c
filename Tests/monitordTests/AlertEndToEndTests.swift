import Foundation
import MonitorKitCore
import Testing

/// The alerts sink in the real binary: misses through the HTTP data plane make LowHitRate fire,
/// in the JSON log and in `/api/alerts`; hits resolve it.
@Suite(.serialized) struct AlertEndToEndTests {
    static let config = """
        monitord: { log_level: info }
        sources:
          cache: { type: cache, interval: 200ms, cache_dir: "{{dir}}/cache" }
        sinks:
          api: { type: http, host: 127.0.0.1, port: {{port}} }
          log: { type: log, path: "{{dir}}/events.log", inputs: [alerts], flush_interval: 50ms }
          alerts:
            type: alerts
            rules:
              - name: LowHitRate
                metric: cache.recent_hit_rate
                below: 0.70
                clear_above: 0.75
                for: 2s
                when: { metric: cache.total_requests, at_least: 10 }
                severity: warning
                labels: { team: media }
                summary: "hit rate {{ value | percent }} is below {{ threshold | percent }}"
        """

    /// The `alerts` objects of the log lines, in order.
    static func loggedAlerts(_ daemon: MonitordProcess) throws -> [Fields] {
        let path = daemon.directory.appendingPathComponent("events.log").path
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            try JSONParser.parse(String(line)).objectValue?["alerts"]?.objectValue
        }
    }

    static func activeAlerts(_ daemon: MonitordProcess) async throws -> [Value] {
        let response = try await HTTP.request(.GET, "\(daemon.baseURL)/api/alerts")
        guard response.status == 200, case .list(let alerts)? = try response.json()["alerts"] else { return [] }
        return alerts
    }

    @Test func missesFireLowHitRateAndHitsResolveIt() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let entries = "\(daemon.baseURL)/api/cache/entries"
        let put = try await HTTP.request(.PUT, "\(entries)/hot", body: Array("value".utf8))
        #expect((200..<300).contains(put.status))

        // Cold: a few misses stay under the guard (at_least 10 requests), so nothing is pending.
        for n in 0..<3 { _ = try await HTTP.request(.GET, "\(entries)/missing-\(n)") }
        try await waitFor("three samples of the cold cache") {
            let history = try await HTTP.request(.GET, "\(daemon.baseURL)/api/cache/history?fields=total_requests").json()
            guard case .list(let samples)? = history["samples"] else { return false }
            return samples.filter { $0["fields"]?["total_requests"] == 3 }.count >= 3
        }
        #expect(try Self.loggedAlerts(daemon).isEmpty)
        #expect(try await Self.activeAlerts(daemon).isEmpty)

        for n in 3..<20 { _ = try await HTTP.request(.GET, "\(entries)/missing-\(n)") }
        try await waitFor("LowHitRate to fire in /api/alerts", timeout: .seconds(15)) {
            try await Self.activeAlerts(daemon).contains { $0["state"]?.stringValue == "firing" }
        }
        let active = try await Self.activeAlerts(daemon)
        #expect(active.count == 1)
        #expect(active.first?["alertname"] == "LowHitRate")
        #expect(active.first?["labels"]?["team"] == "media")
        try await waitFor("the firing alert in the log") {
            try Self.loggedAlerts(daemon).contains { $0["state"] == "firing" }
        }
        let fired = try Self.loggedAlerts(daemon)
        #expect(fired.compactMap { $0["state"]?.stringValue } == ["pending", "firing"])
        let firing = try #require(fired.last)
        #expect(firing["summary"]?.stringValue?.hasSuffix("is below 70%") == true)
        // `for: 2s` held: the alert fired at least two seconds after it became active.
        let activeAt = try #require(firing["active_at"]?.doubleValue), firedAt = try #require(firing["fired_at"]?.doubleValue)
        #expect(firedAt - activeAt >= 2)

        // Hits: 20 misses + 100 hits is a hit rate of 83%, above clear_above.
        for _ in 0..<100 {
            let hit = try await HTTP.request(.GET, "\(entries)/hot")
            #expect(hit.status == 200)
        }
        try await waitFor("LowHitRate to resolve in the log", timeout: .seconds(15)) {
            try Self.loggedAlerts(daemon).contains { $0["state"] == "resolved" }
        }
        try await waitFor("/api/alerts to empty") { try await Self.activeAlerts(daemon).isEmpty }
        #expect(try await daemon.stop() == 0)
        #expect(try Self.loggedAlerts(daemon).compactMap { $0["state"]?.stringValue } == ["pending", "firing", "resolved"])
    }
}
