import Foundation
import Testing

/// `validate` must fail exactly when `run` would refuse the file: operators put `validate` in CI.
/// Each file below was once called valid by `validate` and then refused by `run` at start.
@Suite("validate fails exactly when run would")
struct ValidateMatchesRunTests {
    static let sources = "sources:\n  cache: { type: cache, cache_dir: cache }\n  internal: { type: internal }\n"

    @Test("a file run refuses is refused by validate first, with line, column and a fix", arguments: [
        ("tui source that does not exist",
         sources + "sinks:\n  terminal: { type: tui, source: cahce }\n",
         #"monitord.yaml:5:34: sinks.terminal.source: no source named "cahce" (did you mean "cache"?)"#),
        ("log file in a missing directory",
         sources + "sinks:\n  log: { type: log, path: /nonexistent-monitord-dir/events.log }\n",
         #"monitord.yaml:5:27: sinks.log.path: cannot open log file: the directory "/nonexistent-monitord-dir" does not exist; create it or choose another path"#),
        ("log path that is a directory",
         sources + "sinks:\n  log: { type: log, path: /tmp }\n",
         #"monitord.yaml:5:27: sinks.log.path: cannot open log file: "/tmp" is a directory"#),
        ("alert rule on a source that does not exist",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Low, metric: cahce.hit_rate, below: 0.5 }\n",
         #"monitord.yaml:8:30: sinks.alerts.rules[0].metric: cahce.hit_rate: no source named "cahce" (did you mean "cache"?), so the rule could never fire"#),
        ("alert guard on a source that does not exist",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Low, metric: cache.hit_rate, below: 0.5, when: { metric: nope.total_requests, at_least: 1 } }\n",
         #"sinks.alerts.rules[0].when.metric: nope.total_requests: no source named "nope"; sources: cache, internal, so the rule could never fire"#),
        ("alert rule on a source left out of the sink's inputs",
         sources + "sinks:\n  alerts:\n    type: alerts\n    inputs: [cache]\n    rules:\n      - { name: Drops, metric: internal.subscriptions.log.dropped, above: 0 }\n",
         #"sinks.alerts.rules[0].metric: internal.subscriptions.log.dropped: this sink's inputs (cache) leave out "internal", so the rule could never fire; add it to inputs"#),
        ("alert rule on a field the source does not have",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Low, metric: cache.hit_rat, below: 0.5 }\n",
         #"monitord.yaml:8:30: sinks.alerts.rules[0].metric: cache.hit_rat: source "cache" has no field "hit_rat" (did you mean "cache.hit_rate"?), so the rule could never fire"#),
        ("alert guard on a field the source does not have",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Low, metric: cache.hit_rate, below: 0.5, when: { metric: cache.total_request, at_least: 1 } }\n",
         #"sinks.alerts.rules[0].when.metric: cache.total_request: source "cache" has no field "total_request" (did you mean "cache.total_requests"?)"#),
        ("alert rule on a counter's value",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Damage, metric: cache.corrupt_entries, above: 0 }\n",
         #"monitord.yaml:8:33: sinks.alerts.rules[0].metric: cache.corrupt_entries is a counter: it only grows until a restart or stats reset, so a threshold on its value fires on how long the cache has run, not on what happens now; add rate: 5m to compare its increase per second"#),
        ("alert rule on configuration",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Small, metric: cache.max_memory_size, below: 10 }\n",
         #"sinks.alerts.rules[0].metric: cache.max_memory_size is configuration, not a measurement"#),
        ("rate on a gauge",
         sources + "sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: Grow, metric: cache.disk_items, rate: 1m, above: 5 }\n",
         #"sinks.alerts.rules[0].rate: cache.disk_items is a gauge (a level that goes up and down): rate applies to counters"#),
    ])
    func refusedByBoth(name: String, text: String, expected: String) async throws {
        let dir = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try text.write(to: dir.appendingPathComponent("monitord.yaml"), atomically: true, encoding: .utf8)
        for command in ["validate", "run"] {
            let result = try await MonitordProcess.runToCompletion([command, "-c", "monitord.yaml"], in: dir)
            #expect(result.status == 78, "\(name), \(command): exit \(result.status): \(result.stderr)")
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains(expected), "\(name), \(command): \(first)")
        }
    }
}
