import MonitorKitCore
@testable import SinkAlert

/// A `cache.stats` sample at virtual time `time` (Unix seconds).
func cacheSample(at time: Double, hitRate: Double, totalRequests: Int = 1000, sizeMB: Double = 1) -> Event {
    Event(source: "cache", name: "cache.stats", kind: .metric, time: time, fields: [
        "total_requests": .int(totalRequests), "recent_hit_rate": .double(hitRate), "cache_size_mb": .double(sizeMB),
    ])
}

/// The LowHitRate rule of the default config, with a shorter `for` where a test wants one.
func lowHitRate(for duration: Duration = .seconds(300), keepFiringFor: Duration = .zero, minSamples: Int = 0,
                guards: [MetricGuard] = [], summary: String? = nil) throws -> AlertRule {
    try AlertRule(
        name: "LowHitRate", metric: "cache.recent_hit_rate", condition: .below(0.70, clearAbove: 0.75),
        for: duration, keepFiringFor: keepFiringFor, minSamples: minSamples, when: guards, severity: "warning",
        labels: ["team": "media"], summary: summary)
}

/// Feeds `(time, hit rate)` samples and returns the `(time, state)` of every alert event.
func run(_ engine: inout AlertEngine, _ samples: [(Double, Double)], totalRequests: Int = 1000) -> [(time: Double, state: String)] {
    var out: [(time: Double, state: String)] = []
    for (time, rate) in samples {
        for event in engine.evaluate(cacheSample(at: time, hitRate: rate, totalRequests: totalRequests)) {
            out.append((time, event.fields["state"]?.stringValue ?? "?"))
        }
    }
    return out
}
