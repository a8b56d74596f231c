import MonitorKitCore
import Testing

@testable import SinkHTTP

/// Issue 10, defect 5: the bytes the memory tier holds show in `/metrics` and the stats API.
@Suite struct MemoryBytesMetricTests {
    @Test func memoryBytesIsAGaugeThatFollowsWhatMemoryHolds() async throws {
        try await SinkHarness.with { api async throws in
            #expect(try await api.request("PUT", "/api/cache/entries/a", body: [UInt8](repeating: 1, count: 300)).status == 200)
            #expect(try await api.request("PUT", "/api/cache/entries/b", body: [UInt8](repeating: 2, count: 200)).status == 200)
            #expect(try await api.json("/api/cache/stats")["memory_bytes"] == .int(500))
            var text = try await api.request("GET", "/metrics").text
            #expect(text.contains("# TYPE monitord_cache_memory_bytes gauge"))
            #expect(MetricsTests.value(text, #"monitord_cache_memory_bytes{source="cache"}"#) == 500)

            #expect(try await api.request("DELETE", "/api/cache/entries/a").status == 200)
            text = try await api.request("GET", "/metrics").text
            #expect(MetricsTests.value(text, #"monitord_cache_memory_bytes{source="cache"}"#) == 200)
        }
    }
}
