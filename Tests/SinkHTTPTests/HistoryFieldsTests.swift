import MonitorKitCore
import Testing

@testable import SinkHTTP

/// `?fields=` is a client's list: its size must not decide how much memory an answer reserves.
@Suite struct HistoryFieldsTests {
    @Test func aListLongerThanTheLimitIs400WithTheLimit() async throws {
        try await SinkHarness.with { api async throws in
            api.runtime.history.record(Event(source: "cache", name: "cache.stats", kind: .metric, time: 10, fields: ["sets": .int(1)]))
            let names = (0..<5000).map { "f\($0)" }.joined(separator: ",")
            let answer = try await api.request("GET", "/api/cache/history?fields=\(names)")
            #expect(answer.status == 400, "\(answer.text.prefix(200))")
            #expect(answer.errorCode == "invalid_fields")
            #expect(answer.text.contains("at most \(APIRoutes.maxHistoryFields)"))
        }
    }

    @Test func repeatedNamesCountOnceAndTheLimitItselfIsServed() async throws {
        try await SinkHarness.with { api async throws in
            api.runtime.history.record(Event(
                source: "cache", name: "cache.stats", kind: .metric, time: 10, fields: ["sets": .int(1), "hits": .int(2)]))
            let atLimit = (0..<(APIRoutes.maxHistoryFields - 1)).map { "f\($0)" } + ["sets"]
            let full = try await api.json("/api/cache/history?fields=\(atLimit.joined(separator: ","))")
            #expect(full["samples"]?.listValue?.first?["fields"]?.keys == ["sets"])
            let repeated = Array(repeating: "hits", count: 3 * APIRoutes.maxHistoryFields).joined(separator: ",")
            let slim = try await api.json("/api/cache/history?fields=\(repeated)")
            #expect(slim["samples"]?.listValue?.first?["fields"]?.keys == ["hits"])
        }
    }
}
