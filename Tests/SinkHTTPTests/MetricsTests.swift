import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct MetricsTests {
    /// The value of the sample line starting with `series` (name and labels), if present.
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func cacheLookupsAreCountersByTierAndResult() async throws {
        try await SinkHarness.with(maxMemoryItems: 1) { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/a", body: [1])
            _ = try await api.request("PUT", "/api/cache/entries/b", body: [2])
            _ = try await api.request("GET", "/api/cache/entries/b")
            _ = try await api.request("GET", "/api/cache/entries/a")
            _ = try await api.request("GET", "/api/cache/entries/zzz")
            let response = try await api.request("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            let text = response.text
            #expect(text.contains("# TYPE monitord_cache_lookups_total counter"))
            #expect(Self.value(text, #"monitord_cache_lookups_total{source="cache",tier="memory",result="hit"}"#) == 1)
            #expect(Self.value(text, #"monitord_cache_lookups_total{source="cache",tier="disk",result="hit"}"#) == 1)
            #expect(Self.value(text, #"monitord_cache_lookups_total{source="cache",tier="none",result="miss"}"#) == 1)
            #expect(Self.value(text, #"monitord_cache_items{source="cache",tier="disk"}"#) == 2)
            #expect(Self.value(text, #"monitord_cache_evictions_total{source="cache",tier="memory"}"#) ?? 0 >= 1)
            #expect(Self.value(text, #"monitord_cache_sets_total{source="cache"}"#) == 2)
            #expect((Self.value(text, #"monitord_cache_size_bytes{source="cache"}"#) ?? 0) > 0)
            #expect(text.contains("# TYPE monitord_cache_items gauge"))
        }
    }

    @Test func countersStayMonotonicAcrossAStatsReset() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/a", body: [1])
            for _ in 0..<3 { _ = try await api.request("GET", "/api/cache/entries/a") }
            let hit = #"monitord_cache_lookups_total{source="cache",tier="memory",result="hit"}"#
            #expect(Self.value(try await api.request("GET", "/metrics").text, hit) == 3)
            #expect(try await api.request("DELETE", "/api/cache/clear").status == 200)
            #expect(try await api.json("/api/cache/stats")["hits"] == .int(0))
            #expect(Self.value(try await api.request("GET", "/metrics").text, hit) == 3)
            _ = try await api.request("PUT", "/api/cache/entries/a", body: [1])
            _ = try await api.request("GET", "/api/cache/entries/a")
            #expect(Self.value(try await api.request("GET", "/metrics").text, hit) == 4)
        }
    }

    @Test func aResettableReadingThatGoesDownCountsAsACounterReset() {
        let runtime = RuntimeContext(sources: [])
        let exporter = MetricsExporter(runtime: runtime, streams: EventStreams(sinkID: "api", bus: runtime.bus, limit: 256))
        let series = #"monitord_store_sets_total{source="c"}"#
        let sets = MetricDescriptor(
            "sets", .counter, .items, help: "Writes.", export: MetricExport(family: "store_sets", help: "Writes.", reading: "lifetime_sets"))
        // A source whose sample lacks the never-reset reading: 5 sets, a reset, 2 sets, 2 more.
        for (count, expected) in [(5, 5.0), (2, 7.0), (4, 9.0)] {
            let text = exporter.render(SourceReadings.readings(source: "c", metrics: [sets], figures: ["sets": .int(count)]))
            #expect(Self.value(String(decoding: text, as: UTF8.self), series) == expected)
        }
    }

    @Test func familiesOfOneBaseNameInTwoUnitsStayApartAndFractionalCountersAdd() {
        let runtime = RuntimeContext(sources: [])
        let exporter = MetricsExporter(runtime: runtime, streams: EventStreams(sinkID: "api", bus: runtime.bus, limit: 256))
        let label = [MetricLabel("path", "data")]
        let metrics = [
            MetricDescriptor("free_bytes", .gauge, .bytes, help: "Free.", export: MetricExport(family: "fs_free", help: "Free bytes.", labels: label)),
            MetricDescriptor("free_ratio", .gauge, .ratio, help: "Free.", export: MetricExport(family: "fs_free", help: "Free share.", labels: label)),
            MetricDescriptor("cpu", .counter, .seconds, help: "CPU.", export: MetricExport(family: "cpu", help: "CPU time.")),
        ]
        for (cpu, expected) in [(1.5, 1.5), (2.75, 2.75)] {
            let figures: Fields = ["free_bytes": .int(1000), "free_ratio": .double(0.25), "cpu": .double(cpu)]
            let text = String(decoding: exporter.render(SourceReadings.readings(source: "s", metrics: metrics, figures: figures)), as: UTF8.self)
            #expect(Self.value(text, #"monitord_fs_free_bytes{source="s",path="data"}"#) == 1000)
            #expect(Self.value(text, #"monitord_fs_free_ratio{source="s",path="data"}"#) == 0.25)
            #expect(Self.value(text, #"monitord_cpu_seconds_total{source="s"}"#) == expected)
        }
    }

    @Test func pipelineFiguresAreExported() async throws {
        try await SinkHarness.with { api async throws in
            let slow = api.runtime.bus.subscribe("slow", buffer: BufferPolicy(maxEvents: 1, whenFull: .dropNewest))
            for _ in 0..<3 { await api.runtime.bus.publish(Event(source: "cache", name: "tick", kind: .event)) }
            let text = try await api.request("GET", "/metrics").text
            #expect((Self.value(text, "monitord_bus_events_published_total") ?? 0) >= 3)
            #expect(Self.value(text, #"monitord_sink_events_dropped_total{sink="slow"}"#) == 2)
            #expect(Self.value(text, #"monitord_sink_queue_events{sink="slow"}"#) == 1)
            #expect(Self.value(text, #"monitord_sink_queue_capacity_events{sink="slow"}"#) == 1)
            #expect(text.contains(#"monitord_build_info{version=""#))
            slow.cancel()
        }
    }

    @Test func eventStreamClientsShareOneSeries() {
        #expect(PipelineReadings.seriesName(of: "api/sse-12") == ("api/sse", true))
        #expect(PipelineReadings.seriesName(of: "api") == ("api", false))
        #expect(PipelineReadings.seriesName(of: "api/sse-") == ("api/sse-", false))
        #expect(PipelineReadings.seriesName(of: "my-sink") == ("my-sink", false))
    }
}
