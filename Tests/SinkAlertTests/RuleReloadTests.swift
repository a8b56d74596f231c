import MonitorKitCore
import Testing
@testable import SinkAlert

/// Issue 17: a reload swaps the rule list of a running alerts sink.
@Suite struct RuleReloadTests {
    static func other(for duration: Duration = .zero) throws -> AlertRule {
        try AlertRule(
            name: "Other", metric: "cache.recent_hit_rate", condition: .below(0.90, clearAbove: nil),
            for: duration, keepFiringFor: .zero, minSamples: 0, when: [], severity: "info", labels: [:], summary: nil)
    }

    @Test("a rule that stayed keeps its state and timer; a firing rule that went resolves; a new one starts inactive")
    func swapKeepsWhatStayed() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .seconds(60)), try Self.other()])
        let first = run(&engine, [(0, 0.5), (30, 0.5)])
        #expect(first.map(\.state) == ["pending", "firing"])  // LowHitRate pending, Other firing at once

        let withdrawn = engine.replaceRules([try lowHitRate(for: .seconds(60)), try Self.other(for: .seconds(10))], at: 40)
        // "Other" changed (its `for`): the old one is withdrawn, the new one starts over.
        #expect(withdrawn.map { "\($0.alertname) \($0.previousState.rawValue)->\($0.state.rawValue)" } == ["Other firing->resolved"])
        // The reload ended it, not the metric (0.5 is still below 0.90): the summary says so.
        #expect(withdrawn.map(\.summary) == ["rule Other was changed or removed by a config reload while firing (cache.recent_hit_rate was 0.5)"])
        #expect(engine.states["LowHitRate"] == .pending)
        #expect(engine.states["Other"] == .inactive)
        // LowHitRate's `for` counts from t=0, not from the reload.
        let after = run(&engine, [(60, 0.5)])
        #expect(after.map(\.state).contains("firing"))
        #expect(after.map(\.time).allSatisfy { $0 == 60 })
    }

    @Test("the same list again changes nothing")
    func sameList() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero)])
        _ = run(&engine, [(0, 0.5)])
        #expect(engine.replaceRules([try lowHitRate(for: .zero)], at: 10).isEmpty)
        #expect(engine.states["LowHitRate"] == .firing)
        #expect(run(&engine, [(20, 0.5)]).isEmpty)
    }
}
