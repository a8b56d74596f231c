import MonitorKitCore
import Testing

@Suite("History")
struct HistoryTests {
    static func sample(_ t: Double, source: String = "cache") -> Event {
        Event(source: source, name: "cache.stats", kind: .metric, time: t, fields: ["t": .double(t)])
    }

    @Test("keeps the newest N samples per source, oldest first")
    func ring() {
        let history = History(capacity: 3)
        for t in 1...5 { history.record(Self.sample(Double(t))) }
        history.record(Self.sample(100, source: "other"))
        #expect(history.samples(source: "cache").map(\.time) == [3, 4, 5])
        #expect(history.samples(source: "other").map(\.time) == [100])
        #expect(history.latest(source: "cache")?.time == 5)
        #expect(history.samples(source: "missing").isEmpty)
    }

    @Test("since and limit")
    func filters() {
        let history = History(capacity: 10)
        for t in 1...8 { history.record(Self.sample(Double(t))) }
        #expect(history.samples(source: "cache", since: 5).map(\.time) == [6, 7, 8])
        #expect(history.samples(source: "cache", limit: 2).map(\.time) == [7, 8])
        #expect(history.samples(source: "cache", since: 2, limit: 100).count == 6)
    }

    @Test("only metric events are kept")
    func onlyMetrics() {
        let history = History(capacity: 10)
        history.record(Event(source: "cache", name: "cache.cleared", kind: .event))
        #expect(history.samples(source: "cache").isEmpty)
    }
}
