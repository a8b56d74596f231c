import MonitorKitCore
import Testing
@testable import SinkAlert

/// When a notifier sends, decided in virtual time.
@Suite struct NotificationPolicyTests {
    /// Feeds hit-rate samples through the engine and one policy; returns `(time, status)` sent.
    func sends(_ samples: [(Double, Double)], repeat interval: Duration, sendResolved: Bool = true) throws -> [(Double, String)] {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero)])
        var policy = NotificationPolicy(repeatInterval: interval, sendResolved: sendResolved)
        var out: [(Double, String)] = []
        for (time, rate) in samples {
            let transitions = engine.transitions(for: cacheSample(at: time, hitRate: rate))
            for notice in policy.notices(transitions: transitions, firing: engine.firing, now: time) {
                out.append((time, notice.status.rawValue))
            }
        }
        return out
    }

    @Test func firingIsSentAgainEveryRepeatInterval() throws {
        let sent = try sends(stride(from: 0.0, through: 130, by: 10).map { ($0, 0.5) } + [(140, 0.9)], repeat: .seconds(60))
        #expect(sent.map(\.0) == [0, 60, 120, 140])
        #expect(sent.map(\.1) == ["firing", "firing", "firing", "resolved"])
    }

    @Test func resolvedIsNotSentWhenSendResolvedIsOff() throws {
        let sent = try sends([(0, 0.5), (10, 0.9), (20, 0.9)], repeat: .seconds(60), sendResolved: false)
        #expect(sent.map(\.1) == ["firing"])
    }

    @Test func pendingAlertsAreNotSent() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .seconds(60))])
        var policy = NotificationPolicy(repeatInterval: .seconds(60), sendResolved: true)
        for (time, rate) in [(0.0, 0.5), (30, 0.5), (40, 0.9)] {
            let transitions = engine.transitions(for: cacheSample(at: time, hitRate: rate))
            #expect(policy.notices(transitions: transitions, firing: engine.firing, now: time).isEmpty)
        }
    }

    @Test func noticesCarryTimesAndAnnotations() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero)])
        var policy = NotificationPolicy(repeatInterval: .seconds(600), sendResolved: true)
        let fired = policy.notices(transitions: engine.transitions(for: cacheSample(at: 1000, hitRate: 0.5)), firing: engine.firing, now: 1000)
        let resolved = policy.notices(transitions: engine.transitions(for: cacheSample(at: 1005, hitRate: 0.9)), firing: engine.firing, now: 1005)
        #expect(fired.first?.startsAt == 1000)
        #expect(fired.first?.endsAt == nil)
        #expect(fired.first?.annotations.map(\.name) == ["summary"])
        #expect(resolved.first?.startsAt == 1000)
        #expect(resolved.first?.endsAt == 1005)
    }
}
