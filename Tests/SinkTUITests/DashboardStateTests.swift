import MonitorKitCore
import Testing
@testable import SinkTUI

@Suite struct DashboardStateTests {
    let now = Fixtures.t0

    func emptyState(preferred: String? = nil) -> DashboardState {
        DashboardState(mode: .local, version: "0.1.0", connection: .local, preferredSource: preferred, historyCapacity: 5)
    }

    @Test func metricEventsBecomeTheLatestFiguresAndTheHistory() {
        var state = emptyState()
        state.apply(.events([Fixtures.cacheEvent(time: now, memory: 1), Fixtures.cacheEvent(time: now + 5, memory: 2)]), now: now + 5)
        #expect(state.sources.map(\.id) == ["cache"])
        #expect(state.selectedID == "cache")
        #expect(state.latest["cache"]?.fields["memory_items"] == .int(2))
        #expect(state.history["cache"]?.map(\.time) == [now, now + 5])
        #expect(state.lastEventAt == now + 5)
    }

    @Test func historyIsBoundedAndASampleSeenTwiceCountsOnce() {
        var state = emptyState()
        for i in 0..<8 { state.apply(Fixtures.cacheEvent(time: now + Double(i))) }
        // The same sample again (history fetched while the stream was open).
        state.apply(Fixtures.cacheEvent(time: now + 7))
        #expect(state.history["cache"]?.map(\.time) == (3..<8).map { now + Double($0) })
    }

    @Test func internalStatsFeedThePipelineAndSourceStates() {
        var state = emptyState()
        state.apply(DashboardSnapshot(sources: [SourceEntry(id: "cache", state: "starting")]))
        state.apply(Fixtures.internalStats(dropped: 3))
        #expect(state.pipeline.eventsPublished == 4321)
        #expect(state.pipeline.subscriptions.map(\.id) == ["api", "log"])
        #expect(state.pipeline.subscriptionsByConcern.first?.id == "log")
        #expect(state.pipeline.sources.first?.samples == 1608)
        #expect(state.sources.first?.state == "ok")
    }

    @Test func aBusPollIsNotOverwrittenByAnOlderInternalSample() {
        var state = emptyState()
        let bus = PipelineState()
        var figures = bus
        figures.subscriptions = [.init(id: "terminal", received: 1, delivered: 1, dropped: 0, queued: 0, capacity: 1000, whenFull: "drop_oldest")]
        state.apply(.bus(figures, sourceStates: [(id: "cache", state: "ok")]), now: now + 10)
        state.apply(Fixtures.internalStats(time: now))
        #expect(state.pipeline.subscriptions.map(\.id) == ["terminal"])
        // The source rows, which the bus does not know in detail, do come from the sample.
        #expect(state.pipeline.sources.first?.samples == 1608)
    }

    @Test func alertsFollowTheirStateTransitionsByFingerprint() {
        var state = emptyState()
        state.apply(Fixtures.alert("LowHitRate", state: "pending", severity: "warning", fingerprint: "a1"))
        state.apply(Fixtures.alert("CacheTooLarge", state: "firing", severity: "critical", fingerprint: "b2"))
        state.apply(Fixtures.alert("Info", state: "pending", severity: "info", fingerprint: "c3"))
        #expect(state.alerts.map(\.alertname) == ["CacheTooLarge", "LowHitRate", "Info"])
        state.apply(Fixtures.alert("LowHitRate", state: "firing", severity: "warning", fingerprint: "a1"))
        #expect(state.alerts.map(\.alertname) == ["CacheTooLarge", "LowHitRate", "Info"])
        #expect(state.alerts.map(\.state) == [.firing, .firing, .pending])
        state.apply(Fixtures.alert("CacheTooLarge", state: "resolved", severity: "critical", fingerprint: "b2"))
        #expect(state.alerts.map(\.alertname) == ["LowHitRate", "Info"])
    }

    @Test func aSourceErrorMarksTheSourceFailingUntilTheNextSample() {
        var state = emptyState()
        state.apply(Fixtures.cacheEvent())
        state.apply(Event(source: "cache", name: "source.error", kind: .event, time: now, fields: [
            "error": .string("disk full"), "consecutive_failures": .int(2), "retry_in_seconds": .double(4),
        ]))
        #expect(state.selectedSource?.state == "failing")
        #expect(state.selectedSource?.lastError == "disk full")
        state.apply(Fixtures.cacheEvent(time: now + 5))
        #expect(state.selectedSource?.state == "ok")
        #expect(state.selectedSource?.lastError == nil)
    }

    @Test func theSelectionPrefersTheAskedSourceThenOneWithStats() {
        var state = emptyState(preferred: "other")
        state.apply(DashboardSnapshot(sources: [SourceEntry(id: "internal", actions: []), SourceEntry(id: "cache", actions: ["stats", "clear"])]))
        #expect(state.selectedID == "cache")
        state.apply(Event(source: "other", name: "other.stats", kind: .metric, time: now, fields: ["x": .int(1)]))
        #expect(state.selectedID == "other")
    }

    @Test func clearAsksFirstAndRunsOnlyOnYes() {
        var state = Fixtures.state()
        #expect(state.handle(.character("c"), now: now).isEmpty)
        #expect(state.prompt == .confirmClear(source: "cache"))
        #expect(state.handle(.character("n"), now: now).isEmpty)
        #expect(state.prompt == nil)
        #expect(state.notice?.text == "Clear cancelled")
        _ = state.handle(.character("c"), now: now)
        #expect(state.handle(.character("y"), now: now) == [.clear(source: "cache")])
        #expect(state.prompt == nil)
        state.apply(.cleared(source: "cache", ClearSummary(removed: [("memory_items", 120), ("disk_items", 345)], total: 345)), now: now)
        #expect(state.notice?.text == "Cleared cache: 120 memory items and 345 disk items removed")
    }

    @Test func clearIsRefusedForASourceWithoutTheAction() {
        var state = Fixtures.state()
        _ = state.handle(.tab, now: now)
        #expect(state.selectedID == "internal")
        #expect(state.handle(.character("c"), now: now).isEmpty)
        #expect(state.prompt == nil)
        #expect(state.notice?.text == "Source internal has no clear action")
    }

    @Test func keysSwitchSourcesRefreshQuitAndShowHelp() {
        var state = Fixtures.state()
        _ = state.handle(.right, now: now)
        #expect(state.selectedID == "internal")
        _ = state.handle(.right, now: now)
        #expect(state.selectedID == "cache")
        _ = state.handle(.backTab, now: now)
        #expect(state.selectedID == "internal")
        _ = state.handle(.character("1"), now: now)
        #expect(state.selectedID == "cache")
        #expect(state.handle(.character("r"), now: now) == [.refresh(source: "cache"), .repaint])
        #expect(state.handle(.redraw, now: now) == [.repaint])
        _ = state.handle(.character("?"), now: now)
        #expect(state.showHelp)
        #expect(state.handle(.character("x"), now: now).isEmpty)
        #expect(!state.showHelp)
        #expect(state.handle(.character("q"), now: now) == [.quit])
        #expect(state.handle(.interrupt, now: now) == [.quit])
    }

    @Test func noticesExpire() {
        var state = Fixtures.state()
        state.notify("hello", .info, now: now)
        let early = state.expireNotice(now: now + 1)
        #expect(!early)
        let due = state.expireNotice(now: now + DashboardState.noticeSeconds)
        #expect(due)
        #expect(state.notice == nil)
    }
}
