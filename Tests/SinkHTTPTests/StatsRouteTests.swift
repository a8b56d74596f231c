import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct StatsRouteTests {
    static let tableFields = [
        "memory_items", "disk_items", "memory_hits", "disk_hits", "misses", "hits", "total_requests", "hit_rate",
        "recent_hit_rate", "expired_entries", "evictions", "disk_evictions", "cache_size_mb", "uptime_minutes",
        "start_time", "sets", "deletes", "corrupt_entries", "disk_errors", "memory_bytes", "max_memory_size", "default_ttl", "cache_dir",
        "timestamp",
    ]
    static let countFields = [
        "memory_items", "disk_items", "memory_hits", "disk_hits", "misses", "hits", "total_requests", "expired_entries",
        "evictions", "disk_evictions", "sets", "deletes", "corrupt_entries", "disk_errors", "memory_bytes", "max_memory_size", "default_ttl",
    ]

    @Test func theOriginalHitRateScenario() async throws {
        try await SinkHarness.with { api async throws in
            #expect(try await api.request("DELETE", "/api/cache/clear").status == 200)
            #expect(try await api.request("PUT", "/api/cache/entries/greeting", body: Array("hello".utf8)).status == 200)
            #expect(try await api.request("GET", "/api/cache/entries/greeting").text == "hello")
            #expect(try await api.request("GET", "/api/cache/entries/greeting").status == 200)
            #expect(try await api.request("GET", "/api/cache/entries/missing").status == 404)

            let stats = try await api.json("/api/cache/stats")
            #expect(stats["total_requests"] == .int(3))
            #expect(stats["hits"] == .int(2))
            #expect(stats["misses"] == .int(1))
            let hitRate = try #require(stats["hit_rate"]?.doubleValue)
            #expect(abs(hitRate - 2.0 / 3.0) < 0.0001)
        }
    }

    @Test func statsCarryEveryTableFieldInOrderWithExactJSONTypes() async throws {
        try await SinkHarness.with { api async throws in
            let stats = try await api.json("/api/cache/stats")
            #expect(Array(stats.keys.prefix(Self.tableFields.count)) == Self.tableFields)
            for name in Self.countFields {
                guard case .int = stats[name] else {
                    Issue.record("\(name) should be a JSON integer, found \(String(describing: stats[name]))")
                    continue
                }
            }
            for name in ["hit_rate", "recent_hit_rate", "cache_size_mb", "uptime_minutes", "start_time", "timestamp"] {
                guard case .double = stats[name] else {
                    Issue.record("\(name) should be a JSON float, found \(String(describing: stats[name]))")
                    continue
                }
            }
            #expect(stats["hit_rate"] == .double(0.0))
            #expect(stats["cache_dir"]?.stringValue?.hasSuffix("/cache") == true)
        }
    }

    @Test func simpleStatsGiveHitRateInPercentWithOneDecimal() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/k", body: [1])
            _ = try await api.request("GET", "/api/cache/entries/k")
            _ = try await api.request("GET", "/api/cache/entries/k")
            _ = try await api.request("GET", "/api/cache/entries/nope")
            let simple = try await api.json("/api/cache/stats?simple=true")
            #expect(simple.keys == ["memory_items", "disk_items", "hit_rate", "expired_entries", "uptime_minutes", "cache_size_mb"])
            #expect(simple["hit_rate"] == .double(66.7))
            #expect(simple["memory_items"] == .int(1))
        }
    }

    @Test func clearAnswersTheOriginalShapeAndResetsCounters() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/a", body: [1])
            _ = try await api.request("GET", "/api/cache/entries/a")
            let cleared = try await api.request("DELETE", "/api/cache/clear")
            #expect(cleared.status == 200)
            let body = try cleared.json()
            #expect(body.keys == ["status", "cleared_items", "timestamp"])
            #expect(body["status"] == .string("Cache cleared successfully"))
            #expect(body["cleared_items"]?["memory_items"] == .int(1))
            #expect(body["cleared_items"]?["disk_items"] == .int(1))
            #expect(body["cleared_items"]?["total_items"] == .int(2))
            guard case .double = body["timestamp"] else {
                Issue.record("timestamp should be a float")
                return
            }
            let stats = try await api.json("/api/cache/stats")
            #expect(stats["hits"] == .int(0))
            #expect(stats["sets"] == .int(0))
            #expect(stats["memory_items"] == .int(0))
        }
    }

    @Test func clearWithResetStatsFalseKeepsCounters() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/a", body: [1])
            _ = try await api.request("GET", "/api/cache/entries/a")
            #expect(try await api.request("DELETE", "/api/cache/clear?reset_stats=false").status == 200)
            let stats = try await api.json("/api/cache/stats")
            #expect(stats["hits"] == .int(1))
            #expect(stats["sets"] == .int(1))
            #expect(stats["disk_items"] == .int(0))
        }
    }

    @Test func badQueryValuesAreRefusedWithTheirName() async throws {
        try await SinkHarness.with { api async throws in
            let clear = try await api.request("DELETE", "/api/cache/clear?reset_stats=maybe")
            #expect(clear.status == 400)
            #expect(clear.errorCode == "invalid_reset_stats")
            #expect(clear.text.contains("reset_stats must be true or false, found \\\"maybe\\\""))
            let simple = try await api.request("GET", "/api/cache/stats?simple=perhaps")
            #expect(simple.status == 400)
            let history = try await api.request("GET", "/api/cache/history?limit=-3")
            #expect(history.status == 400)
            #expect(history.errorCode == "invalid_limit")
            let since = try await api.request("GET", "/api/cache/history?since=yesterday")
            #expect(since.errorCode == "invalid_since")
        }
    }

    @Test func anUnknownSourceIs404NamingTheKnownOnes() async throws {
        try await SinkHarness.with { api async throws in
            let response = try await api.request("GET", "/api/nope/stats")
            #expect(response.status == 404)
            #expect(response.header("content-type") == "application/json")
            #expect(response.errorCode == "unknown_source")
            let message = try response.json()["error"]?["message"]?.stringValue
            #expect(message == "no source named \"nope\" (known sources: cache)")
        }
    }

    @Test func aSourceWhoseStatsFailIs503() async throws {
        try await SinkHarness.with(extraSources: [FailingSource(id: "flaky")]) { api async throws in
            let response = try await api.request("GET", "/api/flaky/stats")
            #expect(response.status == 503)
            #expect(response.errorCode == "source_unavailable")
            #expect(response.text.contains("disk on fire"))
        }
    }

    @Test func aSourceWithoutClearSaysSo() async throws {
        try await SinkHarness.with(extraSources: [FailingSource(id: "flaky")]) { api async throws in
            let response = try await api.request("DELETE", "/api/flaky/clear")
            #expect(response.status == 404)
            #expect(response.errorCode == "unknown_action")
        }
    }

    @Test func historyFiltersBySinceAndLimitOldestFirst() async throws {
        try await SinkHarness.with { api async throws in
            for i in 1...5 {
                api.runtime.history.record(Event(
                    source: "cache", name: "cache.stats", kind: .metric, time: Double(i * 10),
                    fields: ["hit_rate": .double(Double(i) / 10), "sets": .int(i)]))
            }
            let all = try await api.json("/api/cache/history")
            #expect(all["count"] == .int(5))
            let recent = try await api.json("/api/cache/history?since=20&limit=2")
            let samples = recent["samples"]?.listValue ?? []
            #expect(samples.map { $0["time"] } == [.double(40), .double(50)])
            #expect(samples.first?["name"] == .string("cache.stats"))
            let slim = try await api.json("/api/cache/history?fields=sets&limit=1")
            #expect(slim["samples"]?.listValue?.first?["fields"]?.keys == ["sets"])
        }
    }
}

/// A source whose every action fails, as a source with a broken backend does.
struct FailingSource: Source {
    let id: String
    var sampleName: String { "flaky.stats" }
    var actions: [String] { ["stats"] }

    struct Broken: Error, CustomStringConvertible {
        var description: String { "disk on fire" }
    }

    func sample() async throws -> Fields { throw Broken() }
    func perform(action: String, arguments: Fields) async throws -> Fields { throw Broken() }
}

extension Value {
    var listValue: [Value]? {
        if case .list(let list) = self { return list }
        return nil
    }
}
