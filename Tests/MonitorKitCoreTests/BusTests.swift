import MonitorKitCore
import Synchronization
import Testing

@Suite("EventBus")
struct BusTests {
    static func event(_ n: Int, source: String = "cache") -> Event {
        Event(source: source, name: "test", kind: .event, time: Double(n), fields: ["n": .int(n)])
    }

    /// Consumes exactly `count` events.
    static func take(_ count: Int, from subscription: Subscription) async -> [Int] {
        var seen: [Int] = []
        for await event in subscription {
            seen.append(event.fields["n"]?.intValue ?? -1)
            if seen.count == count { break }
        }
        return seen
    }

    @Test("a subscriber that never reads neither stalls the publisher nor another subscriber; its drops are exact")
    func stalledSubscriberIsIsolated() async {
        let bus = EventBus()
        let stalled = bus.subscribe("stalled", buffer: BufferPolicy(maxEvents: 100, whenFull: .dropOldest))
        let draining = bus.subscribe("draining", buffer: BufferPolicy(maxEvents: 10_000, whenFull: .block))
        let consumer = Task { await Self.take(10_000, from: draining) }
        for n in 0..<10_000 { await bus.publish(Self.event(n)) }
        let received = await consumer.value
        #expect(received == Array(0..<10_000))
        let stats = stalled.stats
        #expect(stats.received == 10_000)
        #expect(stats.dropped == 9_900)
        #expect(stats.queued == 100)
        #expect(stats.delivered == 0)
        #expect(bus.publishedCount == 10_000)
    }

    @Test("drop_oldest keeps the newest events")
    func dropOldest() async {
        let bus = EventBus()
        let sub = bus.subscribe("s", buffer: BufferPolicy(maxEvents: 3, whenFull: .dropOldest))
        for n in 1...5 { await bus.publish(Self.event(n)) }
        sub.finish()
        var seen: [Int] = []
        for await event in sub { seen.append(event.fields["n"]?.intValue ?? -1) }
        #expect(seen == [3, 4, 5])
        #expect(sub.stats.dropped == 2)
        #expect(sub.stats.delivered == 3)
        #expect(sub.stats.received == 5)
    }

    @Test("drop_newest keeps the oldest events")
    func dropNewest() async {
        let bus = EventBus()
        let sub = bus.subscribe("s", buffer: BufferPolicy(maxEvents: 3, whenFull: .dropNewest))
        for n in 1...5 { await bus.publish(Self.event(n)) }
        sub.finish()
        var seen: [Int] = []
        for await event in sub { seen.append(event.fields["n"]?.intValue ?? -1) }
        #expect(seen == [1, 2, 3])
        #expect(sub.stats.dropped == 2)
    }

    @Test("block makes the publisher wait for room and loses nothing")
    func block() async throws {
        let bus = EventBus()
        let sub = bus.subscribe("s", buffer: BufferPolicy(maxEvents: 2, whenFull: .block))
        let published = Atomic(0)
        let publisher = Task {
            for n in 1...5 {
                await bus.publish(Self.event(n))
                published.add(1, ordering: .relaxed)
            }
        }
        // The publisher fills the queue and then waits: it has finished exactly two publishes.
        while !(sub.stats.queued == 2 && published.load(ordering: .relaxed) == 2) { await Task.yield() }
        for _ in 0..<100 { await Task.yield() }
        #expect(published.load(ordering: .relaxed) == 2)
        let seen = await Self.take(5, from: sub)
        await publisher.value
        #expect(seen == [1, 2, 3, 4, 5])
        #expect(sub.stats.dropped == 0)
        #expect(sub.stats.delivered == 5)
    }

    @Test("a blocked publisher goes on when the subscription finishes")
    func finishReleasesBlockedPublisher() async {
        let bus = EventBus()
        let sub = bus.subscribe("s", buffer: BufferPolicy(maxEvents: 1, whenFull: .block))
        let publisher = Task { for n in 1...3 { await bus.publish(Self.event(n)) } }
        while sub.stats.queued < 1 { await Task.yield() }
        sub.finish()
        await publisher.value
        var seen: [Int] = []
        for await event in sub { seen.append(event.fields["n"]?.intValue ?? -1) }
        #expect(seen == [1])
    }

    @Test("a blocked publisher's task can be cancelled; the event counts as dropped")
    func cancelledPublisher() async {
        let bus = EventBus()
        let sub = bus.subscribe("s", buffer: BufferPolicy(maxEvents: 1, whenFull: .block))
        await bus.publish(Self.event(1))
        let publisher = Task { await bus.publish(Self.event(2)) }
        publisher.cancel()
        await publisher.value
        #expect(sub.stats.dropped == 1)
        #expect(sub.stats.queued == 1)
    }

    @Test("finish delivers what is queued, then ends")
    func finishDrains() async {
        let bus = EventBus()
        let sub = bus.subscribe("s")
        for n in 1...200 { await bus.publish(Self.event(n)) }
        sub.finish()
        await bus.publish(Self.event(999))
        var seen: [Int] = []
        for await event in sub { seen.append(event.fields["n"]?.intValue ?? -1) }
        #expect(seen == Array(1...200))
    }

    @Test("cancel leaves the bus and ends a waiting consumer")
    func cancelEndsConsumer() async {
        let bus = EventBus()
        let sub = bus.subscribe("client")
        let consumer = Task { () -> Int in
            var count = 0
            for await _ in sub { count += 1 }
            return count
        }
        await bus.publish(Self.event(1))
        while sub.stats.delivered < 1 { await Task.yield() }
        sub.cancel()
        #expect(await consumer.value == 1)
        #expect(bus.stats.map(\.id) == [])
    }

    @Test("inputs select sources by id and by glob")
    func inputs() async {
        let bus = EventBus()
        let exact = bus.subscribe("exact", inputs: InputFilter(["cache"]))
        let glob = bus.subscribe("glob", inputs: InputFilter(["cache-*"]))
        let all = bus.subscribe("all")
        for source in ["cache", "cache-eu", "internal"] { await bus.publish(Self.event(0, source: source)) }
        #expect(exact.stats.received == 1)
        #expect(glob.stats.received == 1)
        #expect(all.stats.received == 3)
    }

    @Test("a component's own events are not delivered back to it")
    func noSelfDelivery() async {
        let bus = EventBus()
        let alerts = bus.subscribe("alerts", buffer: BufferPolicy(maxEvents: 1, whenFull: .block))
        let log = bus.subscribe("log")
        // Were the alert sink fed its own events, this second publish would wait forever.
        for n in 1...2 { await bus.publish(Self.event(n, source: "alerts")) }
        #expect(alerts.stats.received == 0)
        #expect(log.stats.received == 2)
    }

    @Test("glob matching", arguments: [
        ("*", "cache", true), ("cache*", "cache", true), ("c?che", "cache", true), ("c*e", "cache-eu-cache", true),
        ("cache", "caches", false), ("*-eu", "cache-us", false), ("?", "", false),
    ])
    func glob(pattern: String, text: String, expected: Bool) {
        #expect(InputFilter.glob(pattern, matches: text) == expected)
    }
}
