import MonitorKitCore
import Testing
@testable import SinkAlert

/// Rules with `rate:` compare a counter's increase per second over a window, in virtual time.
@Suite struct RateRuleTests {
    static func corruption(rate: Duration = .seconds(300)) throws -> AlertRule {
        try AlertRule(name: "CacheCorruption", metric: "cache.corrupt_entries", condition: .above(0, clearBelow: nil), rate: rate)
    }

    static func states(_ engine: inout AlertEngine, _ samples: [(time: Double, count: Int)]) -> [(time: Double, state: String, value: Double?)] {
        var out: [(time: Double, state: String, value: Double?)] = []
        for sample in samples {
            let event = Event(source: "cache", name: "cache.stats", kind: .metric, time: sample.time, fields: ["corrupt_entries": .int(sample.count)])
            for alert in engine.evaluate(event) {
                out.append((sample.time, alert.fields["state"]?.stringValue ?? "?", alert.fields["value"]?.doubleValue))
            }
        }
        return out
    }

    @Test func aCounterThatStandsStillDoesNotFireHoweverHighItIs() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try Self.corruption()])
        let changes = Self.states(&engine, stride(from: 0.0, through: 600, by: 60).map { ($0, 12) })
        #expect(changes.isEmpty)
    }

    @Test func anIncreaseFiresWithItsRatePerSecondAndResolvesOnceTheWindowPassesIt() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try Self.corruption(rate: .seconds(120))])
        // 12 damaged files for a while, 6 more at t=180, then none: the increase leaves the
        // 120 s window at t=300.
        let counts = [12, 12, 12, 18, 18, 18, 18, 18]
        let changes = Self.states(&engine, counts.enumerated().map { (Double($0.offset) * 60, $0.element) })
        #expect(changes.map(\.state) == ["firing", "resolved"])
        #expect(changes.map(\.time) == [180, 300])
        // 6 over the 120 s since t=60.
        #expect(changes.first?.value == 6.0 / 120)
    }

    @Test func aResetCountsAsNewIncreaseNotAsAFall() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try Self.corruption(rate: .seconds(120))])
        // The stats are reset at t=120 (40 → 0) and 3 damaged files follow by t=180.
        let changes = Self.states(&engine, [(0, 40), (60, 40), (120, 0), (180, 3)])
        #expect(changes.map(\.state) == ["firing"])
        #expect(changes.map(\.time) == [180])
        #expect(changes.first?.value == 3.0 / 120)
    }
}
