import Foundation
import Logging
import MonitorKitCore
import Testing
@testable import SinkLog

/// The sink on a real bus writing a real file.
@Suite struct LogSinkTests {
    func runSink(_ config: LogSinkConfig, events: [Event]) async throws -> [String] {
        let bus = EventBus()
        let sink = try LogSink(id: "log", config: config, logger: Logger(label: "test"))
        let subscription = bus.subscribe("log", buffer: LogSinkConfig.defaultBuffer)
        let running = Task { try await sink.run(events: subscription) }
        for event in events { await bus.publish(event) }
        subscription.finish()
        try await running.value
        return lines(of: config.path)
    }

    @Test func everyLineParsesWithTheECSKeysFirst() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var events = (0..<300).map { sample($0) }
        events.append(Event(source: "alerts", name: "alert", kind: .alert, time: 1, fields: ["alertname": "X", "state": "firing"]))
        events.append(Event(source: "cache", name: "source.error", kind: .event, time: 2, fields: ["error": "boom \"quoted\"\n"]))
        let written = try await runSink(LogSinkConfig(path: dir.file("events.log")), events: events)
        #expect(written.count == 302)
        for line in written {
            let object = try #require(try JSONParser.parse(line).objectValue)
            #expect(Array(object.names.prefix(3)) == ["@timestamp", "log.level", "message"])
        }
        // Order is kept: the 300 samples in publish order.
        let numbers = try written.prefix(300).map { try JSONParser.parse($0).objectValue?["cache"]?.objectValue?["n"]?.intValue }
        #expect(numbers == (0..<300).map { Optional($0) })
    }

    @Test func kindsMinLevelAndSampleEveryFilter() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = (0..<10).map { sample($0) } + (0..<4).map { sample($0, source: "internal") } + [
            Event(source: "cache", name: "cache.cleared", kind: .event, time: 0),
            Event(source: "alerts", name: "alert", kind: .alert, time: 0, fields: ["state": "firing", "severity": "warning"]),
        ]
        // One in three samples per source (the first, fourth, ...): cache 0,3,6,9; internal 0,3.
        let sampled = try await runSink(LogSinkConfig(path: dir.file("a.log"), sampleEvery: 3), events: events)
        let actions = try sampled.map { try JSONParser.parse($0).objectValue?["event.action"]?.stringValue ?? "" }
        #expect(actions == ["cache.stats", "cache.stats", "cache.stats", "cache.stats", "internal.stats", "internal.stats", "cache.cleared", "alert"])
        let warnOnly = try await runSink(LogSinkConfig(path: dir.file("b.log"), minLevel: .warn), events: events)
        #expect(warnOnly.count == 1)
        let alertsOnly = try await runSink(LogSinkConfig(path: dir.file("c.log"), kinds: [.alert, .event]), events: events)
        #expect(alertsOnly.count == 2)
    }

    @Test func linesReachTheFileWithinTheFlushIntervalWithoutShutdown() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("events.log")
        let bus = EventBus()
        let sink = try LogSink(id: "log", config: LogSinkConfig(path: path, flushInterval: .milliseconds(50)), logger: Logger(label: "test"))
        let subscription = bus.subscribe("log", buffer: LogSinkConfig.defaultBuffer)
        let running = Task { try await sink.run(events: subscription) }
        await bus.publish(sample(1))
        #expect(await eventually { lines(of: path).count == 1 })
        subscription.finish()
        try await running.value
    }

    @Test func configDecodesAndExplainsMistakes() throws {
        func decode(_ yaml: String) throws -> LogSinkConfig {
            try YAMLDecoder().decode(LogSinkConfig.self, from: yaml, file: "monitord.yaml", environment: [:])
        }
        #expect(try decode("{}") == LogSinkConfig())
        let full = try decode("{ path: /var/log/m.log, min_level: warn, kinds: [alert], sample_every: 12, fields: [hit_rate], flush_interval: 1s }")
        #expect(full == LogSinkConfig(path: "/var/log/m.log", minLevel: .warn, kinds: [.alert], sampleEvery: 12, fields: ["hit_rate"], flushInterval: .seconds(1)))
        #expect(LogSinkConfig.defaultBuffer == BufferPolicy(maxEvents: 1000, whenFull: .block))
        #expect(throws: (any Error).self) { try decode("{ sample_every: 0 }") }
        #expect(String(describing: (try? decode("{ sample_every: 0 }")) as Any) == "nil")
        for (yaml, message) in [
            ("{ sample_every: 0 }", "sample_every must be between 1 and 1,000,000, found 0"),
            ("{ flush_interval: 0s }", "flush_interval must be between 1ms and 1m, found 0s"),
            ("{ kinds: [] }", "kinds is empty"),
            ("{ min_level: loud }", "loud"),
            ("{ pth: x }", "did you mean \"path\""),
        ] {
            do {
                _ = try decode(yaml)
                Issue.record("\(yaml) decoded")
            } catch {
                #expect(String(describing: error).contains(message), "\(error)")
            }
        }
    }
}
