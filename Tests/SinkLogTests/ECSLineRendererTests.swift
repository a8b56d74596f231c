import MonitorKitCore
import Testing
@testable import SinkLog

/// The shape of every log line: what Filebeat, Vector or Fluent Bit parse.
@Suite struct ECSLineRendererTests {
    static let stats = Event(source: "cache", name: "cache.stats", kind: .metric, time: 1_795_000_000.123, fields: [
        "memory_items": 3, "hit_rate": 0.75, "cache_dir": "cache \"main\"\n",
    ])

    func render(_ event: Event, fields: [String]? = nil) throws -> (text: String, object: Fields) {
        var renderer = ECSLineRenderer(metricFields: fields)
        var bytes: [UInt8] = []
        renderer.render(event, level: LogLevel.of(event), into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.filter { $0 == "\n" }.count == 1, "one line per event, even with newlines in values")
        let object = try #require(try JSONParser.parse(bytes).objectValue)
        return (text, object)
    }

    @Test func keysComeInECSOrderWithFieldsUnderTheSourceID() throws {
        let (_, line) = try render(Self.stats)
        #expect(line.names == [
            "@timestamp", "log.level", "message", "ecs.version", "service.name", "event.kind", "event.dataset", "event.action", "cache",
        ])
        #expect(line["@timestamp"] == "2026-11-18T11:06:40.123Z")
        #expect(line["log.level"] == "info")
        #expect(line["message"] == "cache.stats")
        #expect(line["ecs.version"] == "8.11.0")
        #expect(line["service.name"] == "monitord")
        #expect(line["event.kind"] == "metric")
        #expect(line["event.dataset"] == "monitord.cache")
        #expect(line["event.action"] == "cache.stats")
        #expect(line["cache"] == .object(Self.stats.fields))
    }

    @Test func theFieldsListTrimsSamplesOnly() throws {
        #expect(try render(Self.stats, fields: ["hit_rate"]).object["cache"] == .object(["hit_rate": 0.75]))
        let cleared = Event(source: "cache", name: "cache.cleared", kind: .event, time: 0, fields: ["total_items": 4])
        #expect(try render(cleared, fields: ["hit_rate"]).object["cache"] == .object(["total_items": 4]))
    }

    @Test func alertsAndErrorsGetTheirLevelAndAHumanMessage() throws {
        func alert(_ state: String, _ severity: String) -> Event {
            Event(source: "alerts", name: "alert", kind: .alert, time: 0, fields: [
                "alertname": "LowHitRate", "state": .string(state), "severity": .string(severity), "summary": "hit rate 42% below 70%",
            ])
        }
        let firing = try render(alert("firing", "warning")).object
        #expect(firing["log.level"] == "warn")
        #expect(firing["message"] == "LowHitRate firing: hit rate 42% below 70%")
        #expect(firing["event.kind"] == "alert")
        #expect(firing["event.dataset"] == "monitord.alerts")
        #expect(try render(alert("firing", "critical")).object["log.level"] == "error")
        #expect(try render(alert("resolved", "critical")).object["log.level"] == "info")
        let failure = Event(source: "cache", name: "source.error", kind: .event, time: 0, fields: ["error": "disk full"])
        let line = try render(failure).object
        #expect(line["log.level"] == "error")
        #expect(line["message"] == "source cache failed: disk full")
    }

    @Test func oneRendererKeepsEachEventsOwnDatasetAndAction() throws {
        var renderer = ECSLineRenderer()
        let events = [
            Self.stats,
            Event(source: "alerts", name: "alert", kind: .alert, time: 0, fields: ["state": "firing"]),
            Event(source: "cache", name: "cache.cleared", kind: .event, time: 0),
            Self.stats,
        ]
        var keys: [String] = []
        for event in events {
            var bytes: [UInt8] = []
            renderer.render(event, level: .info, into: &bytes)
            let line = try #require(try JSONParser.parse(bytes).objectValue)
            keys.append([line["event.kind"], line["event.dataset"], line["event.action"]].compactMap { $0?.stringValue }.joined(separator: " "))
            #expect(line.names.last == event.source)
        }
        #expect(keys == [
            "metric monitord.cache cache.stats", "alert monitord.alerts alert", "event monitord.cache cache.cleared",
            "metric monitord.cache cache.stats",
        ])
    }
}
