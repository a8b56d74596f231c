import MonitorKitCore
import Synchronization

/// Events/s through the bus: 1 and 4 draining subscribers, and 4 with one of them stalled.
enum BusBench {
    static let events = 2_000_000

    static func run() async {
        print("== bus (\(events) events per run, best of 5 rounds; the two 4-subscriber runs alternate)")
        let one = await best { await publishRate(subscribers: 1, stalled: false) }
        // Alternating the contender and its baseline lets both see the same machine load.
        var four = 0.0, stalled = 0.0
        for _ in 0..<5 {
            four = max(four, await publishRate(subscribers: 4, stalled: false))
            stalled = max(stalled, await publishRate(subscribers: 4, stalled: true))
        }
        report("1 draining subscriber", one, baseline: nil)
        report("4 draining subscribers", four, baseline: one)
        report("4 subscribers, 1 stalled", stalled, baseline: four)
        let change = (four - stalled) / four * 100
        print("   stalled subscriber lowers the publish rate by \(format(change, 1))% (target < 10%)")
        print("   target: >= 1,000,000 events/s with 4 draining subscribers: \(four >= 1_000_000 ? "met" : "NOT met")")
    }

    static func report(_ name: String, _ rate: Double, baseline: Double?) {
        var line = "   \(name + String(repeating: " ", count: max(0, 28 - name.count))) \(format(rate / 1e6, 2))M events/s"
        if let baseline { line += "  (\(format(rate / baseline, 2))x the row above)" }
        print(line)
    }

    static func best(_ body: () async -> Double) async -> Double {
        var top = 0.0
        for _ in 0..<5 { top = max(top, await body()) }
        return top
    }

    /// Publishes `events` events and returns events/s for the publisher (draining subscribers
    /// finish on their own time; a stalled one never reads).
    static func publishRate(subscribers: Int, stalled: Bool) async -> Double {
        let bus = EventBus()
        var consumers: [Task<Int, Never>] = []
        for index in 0..<subscribers {
            let sub = bus.subscribe("s\(index)", buffer: BufferPolicy(maxEvents: 1000, whenFull: .dropOldest))
            if stalled && index == subscribers - 1 { continue }
            consumers.append(Task.detached {
                var n = 0
                for await _ in sub { n += 1 }
                return n
            })
        }
        let event = Event(source: "cache", name: "cache.stats", kind: .metric, time: 0, fields: ["hits": .int(1), "hit_rate": .double(0.5)])
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<events { await bus.publish(event) }
        let elapsed = start.duration(to: clock.now)
        bus.finishAll()
        for consumer in consumers { _ = await consumer.value }
        return Double(events) / elapsed.seconds
    }
}

func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    } else if decimals > 0 {
        text += "." + String(repeating: "0", count: decimals)
    }
    return text
}
