import MonitorKitCore
import Testing
@testable import SinkAlert

/// The rule state machine in virtual time: every sample carries its own timestamp.
@Suite struct AlertEngineTests {
    @Test func pendingDoesNotFireBeforeFor() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .seconds(300))])
        // Bad from t=0; samples every 60s. Pending at 0, still pending at 240, firing at 300.
        let changes = run(&engine, stride(from: 0.0, through: 360, by: 60).map { ($0, 0.5) })
        #expect(changes.map(\.state) == ["pending", "firing"])
        #expect(changes.map(\.time) == [0, 300])
    }

    @Test func pendingGoesBackToInactiveWhenTheConditionEnds() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .seconds(300))])
        let changes = run(&engine, [(0, 0.5), (60, 0.5), (120, 0.9), (180, 0.9), (400, 0.9)])
        #expect(changes.map(\.state) == ["pending", "inactive"])
        #expect(engine.states["LowHitRate"] == .inactive)
    }

    @Test func oscillatingBetweenFireAndClearThresholdsDoesNotFlap() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .seconds(60))])
        // 0.65 starts the condition; 0.72 sits between below (0.70) and clear_above (0.75), so
        // it neither ends the pending period nor resolves the firing alert.
        var samples: [(Double, Double)] = []
        for i in 0..<20 { samples.append((Double(i) * 30, i % 2 == 0 ? 0.65 : 0.72)) }
        let changes = run(&engine, samples)
        #expect(changes.map(\.state) == ["pending", "firing"])
        #expect(changes.map(\.time) == [0, 60])
        // Only rising past clear_above resolves it.
        let end = run(&engine, [(700, 0.76)])
        #expect(end.map(\.state) == ["resolved"])
    }

    @Test func withoutHysteresisTheFiringThresholdAlsoClears() throws {
        let rule = try AlertRule(name: "Big", metric: "cache.cache_size_mb", condition: .above(500, clearBelow: nil), severity: "critical")
        var engine = AlertEngine(sinkID: "alerts", rules: [rule])
        var states: [String] = []
        for (time, size) in [(0.0, 100.0), (5, 501), (10, 600), (15, 500), (20, 499)] {
            for event in engine.evaluate(cacheSample(at: time, hitRate: 1, sizeMB: size)) {
                states.append(event.fields["state"]?.stringValue ?? "?")
            }
        }
        // for: 0 fires at once; 500 is no longer above 500, so it resolves there.
        #expect(states == ["firing", "resolved"])
    }

    @Test func keepFiringForHoldsAFiringAlertAfterTheConditionEnds() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero, keepFiringFor: .seconds(120))])
        var changes = run(&engine, [(0, 0.5), (60, 0.9), (120, 0.9)])
        #expect(changes.map(\.state) == ["firing"])
        // Bad again within keep_firing_for: the clock restarts from the next recovery.
        changes = run(&engine, [(150, 0.5), (200, 0.9), (300, 0.9)])
        #expect(changes.isEmpty)
        changes = run(&engine, [(320, 0.9)])
        #expect(changes.map(\.state) == ["resolved"])
        #expect(changes.map(\.time) == [320])
    }

    @Test func resolvedIsSentOnce() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero)])
        let changes = run(&engine, [(0, 0.5), (5, 0.9), (10, 0.9), (15, 0.95), (20, 0.99)])
        #expect(changes.map(\.state) == ["firing", "resolved"])
        #expect(engine.states["LowHitRate"] == .resolved)
        // A new episode starts over at pending (or firing with for: 0), from resolved.
        let again = engine.evaluate(cacheSample(at: 25, hitRate: 0.4))
        #expect(again.first?.fields["previous_state"] == "resolved")
        #expect(again.first?.fields["state"] == "firing")
    }

    @Test func guardHoldsAColdCache() throws {
        let guardCondition = try MetricGuard(metric: "cache.total_requests", atLeast: 20)
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero, guards: [guardCondition])])
        // A cold cache: hit rate 0 over a handful of requests pages nobody.
        #expect(run(&engine, [(0, 0.0), (5, 0.0)], totalRequests: 3).isEmpty)
        #expect(run(&engine, [(10, 0.0)], totalRequests: 19).isEmpty)
        // Warm now: the same hit rate fires.
        #expect(run(&engine, [(15, 0.0)], totalRequests: 20).map(\.state) == ["firing"])
        // A reset (requests back to 0) ends the condition instead of keeping a stale page.
        #expect(run(&engine, [(20, 0.0)], totalRequests: 0).map(\.state) == ["resolved"])
    }

    @Test func minSamplesWaitsForEnoughSamples() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero, minSamples: 3)])
        let changes = run(&engine, [(0, 0.1), (5, 0.1), (10, 0.1)])
        #expect(changes.map(\.time) == [10])
    }

    @Test func guardOnAnotherSourceUsesItsLatestSample() throws {
        let guardCondition = try MetricGuard(metric: "internal.events_published", atLeast: 100)
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero, guards: [guardCondition])])
        #expect(run(&engine, [(0, 0.1)]).isEmpty)  // never seen: the guard does not hold
        _ = engine.evaluate(Event(source: "internal", name: "internal.stats", kind: .metric, time: 1, fields: ["events_published": 150]))
        #expect(run(&engine, [(2, 0.1)]).map(\.state) == ["firing"])
    }

    @Test func nestedPathsReachIntoObjects() throws {
        let rule = try AlertRule(name: "LogDrops", metric: "internal.subscriptions.log.dropped", condition: .above(0, clearBelow: nil))
        var engine = AlertEngine(sinkID: "alerts", rules: [rule])
        func stats(_ dropped: Int) -> Fields {
            ["subscriptions": .object(["log": .object(["received": 10, "dropped": .int(dropped)])])]
        }
        #expect(engine.evaluate(Event(source: "internal", name: "internal.stats", kind: .metric, time: 0, fields: stats(0))).isEmpty)
        let fired = engine.evaluate(Event(source: "internal", name: "internal.stats", kind: .metric, time: 5, fields: stats(4)))
        #expect(fired.first?.fields["value"] == 4.0)
    }

    @Test func aSampleWithoutTheFieldChangesNothing() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero)])
        _ = run(&engine, [(0, 0.1)])
        let none = engine.evaluate(Event(source: "cache", name: "cache.stats", kind: .metric, time: 5, fields: ["hits": 1]))
        #expect(none.isEmpty)
        #expect(engine.states["LowHitRate"] == .firing)
        // Events that are not samples, and samples of other sources, are not evaluated.
        #expect(engine.evaluate(Event(source: "cache", name: "cache.cleared", kind: .event, time: 6)).isEmpty)
    }

    @Test func alertEventFollowsTheContract() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .seconds(10))])
        _ = engine.evaluate(cacheSample(at: 100, hitRate: 0.6))
        let event = try #require(engine.evaluate(cacheSample(at: 110, hitRate: 0.55)).first)
        #expect(event.source == "alerts")
        #expect(event.name == "alert")
        #expect(event.kind == .alert)
        #expect(event.time == 110)
        #expect(event.fields.names == [
            "alertname", "state", "previous_state", "severity", "metric", "value", "threshold", "labels", "summary",
            "description", "active_at", "fired_at", "resolved_at", "fingerprint",
        ])
        #expect(event.fields["state"] == "firing")
        #expect(event.fields["previous_state"] == "pending")
        #expect(event.fields["metric"] == "cache.recent_hit_rate")
        #expect(event.fields["value"] == 0.55)
        #expect(event.fields["threshold"] == 0.70)
        #expect(event.fields["labels"] == .object(["alertname": "LowHitRate", "severity": "warning", "team": "media"]))
        #expect(event.fields["active_at"] == 100.0)
        #expect(event.fields["fired_at"] == 110.0)
        #expect(event.fields["resolved_at"] == .null)
        let fingerprint = try #require(event.fields["fingerprint"]?.stringValue)
        #expect(fingerprint.count == 16)
        #expect(fingerprint == Fingerprint.of([("alertname", "LowHitRate"), ("team", "media"), ("severity", "warning")]))
        #expect(fingerprint != Fingerprint.of([("alertname", "Other"), ("severity", "warning"), ("team", "media")]))
    }
}
