import Foundation
import MonitorKitCore
import SinkAlert

/// Cost of evaluating one sample against one rule, against the cost of just reading the field.
enum AlertBench {
    static let samples = 200_000
    static let ruleCount = 10

    static func run() async throws {
        print("== alerts (\(samples) cache.stats samples x \(ruleCount) rules, best of 3)")
        let rules = try (0..<ruleCount).map { index in
            // Half hit-rate rules with hysteresis, `for` and a guard; half size rules. Thresholds
            // are spread so samples drive transitions (pending, firing, resolved) as they go.
            index % 2 == 0
                ? try AlertRule(
                    name: "LowHitRate\(index)", metric: "cache.recent_hit_rate", condition: .below(0.5 + Double(index) / 40, clearAbove: 0.8),
                    for: .seconds(30), when: [try MetricGuard(metric: "cache.total_requests", atLeast: 20)], severity: "warning",
                    labels: ["team": "media"], summary: "hit rate {{ value | percent }} below {{ threshold | percent }}")
                : try AlertRule(
                    name: "CacheTooLarge\(index)", metric: "cache.cache_size_mb", condition: .above(400 + Double(index) * 10, clearBelow: 350),
                    severity: "critical")
        }
        let events = (0..<1000).map(event)
        var engineNs = Double.infinity, readNs = Double.infinity, transitions = 0
        for _ in 0..<3 {
            var engine = AlertEngine(sinkID: "alerts", rules: rules)
            var count = 0
            var start = ContinuousClock.now
            for n in 0..<samples {
                var e = events[n % events.count]
                e.time = Double(n) * 5
                count += engine.evaluate(e).count
            }
            engineNs = min(engineNs, nanos(ContinuousClock.now - start) / Double(samples * ruleCount))
            transitions = count

            // Baseline: what any evaluation must do at least, find the rule's field in the sample.
            let names = rules.map { String($0.metricName.dropFirst("cache.".count)) }
            var sum = 0.0
            start = ContinuousClock.now
            for n in 0..<samples {
                let fields = events[n % events.count].fields
                for name in names { sum += fields[name]?.doubleValue ?? 0 }
            }
            readNs = min(readNs, nanos(ContinuousClock.now - start) / Double(samples * ruleCount))
            if sum == -1 { print(sum) }  // keeps the loop from being optimised away
        }
        print("   evaluation per sample per rule  \(String(format: "%.0f", engineNs)) ns  (\(transitions) transitions per run)")
        print("   baseline: read the field alone  \(String(format: "%.0f", readNs)) ns")
        print("   ratio evaluation / read          \(String(format: "%.1f", engineNs / readNs))x")
        print("   target: < 10 µs per sample per rule: \(engineNs < 10_000 ? "met" : "NOT met")")
    }

    static func event(_ n: Int) -> Event {
        // A hit rate sweeping 0.3 ... 0.95 and a size sweeping 300 ... 550 MB.
        let phase = Double(n % 100) / 100
        return Event(source: "cache", name: "cache.stats", kind: .metric, time: 0, fields: [
            "memory_items": .int(200), "disk_items": .int(5_000), "memory_hits": .int(90_000), "disk_hits": .int(4_000),
            "misses": .int(6_000), "hits": .int(94_000), "total_requests": .int(100_000 + n), "hit_rate": .double(0.94),
            "recent_hit_rate": .double(0.3 + 0.65 * phase), "expired_entries": .int(12), "evictions": .int(340),
            "disk_evictions": .int(0), "cache_size_mb": .double(300 + 250 * phase), "uptime_minutes": .double(61.5),
            "start_time": .double(1_794_996_310.2), "sets": .int(5_400), "deletes": .int(20), "corrupt_entries": .int(0),
            "disk_errors": .int(0), "max_memory_size": .int(200), "default_ttl": .int(3600),
            "cache_dir": .string("/var/cache/monitord"), "timestamp": .double(1_795_000_000.123),
        ])
    }

    static func nanos(_ d: Duration) -> Double {
        d.seconds * 1e9
    }
}
