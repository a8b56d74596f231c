import Foundation
import MonitorKitCore
import Testing
@testable import SinkAlert

/// The `type: alerts` config as a user writes it, and the messages a user sees for mistakes.
@Suite struct AlertConfigTests {
    func decode(_ yaml: String) throws -> AlertSinkConfig {
        try YAMLDecoder().decode(AlertSinkConfig.self, from: yaml, file: "monitord.yaml", environment: [:])
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try decode(yaml)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func theDefaultRulesDecode() throws {
        let config = try decode("""
            rules:
              - name: LowHitRate
                metric: cache.recent_hit_rate
                below: 0.70
                clear_above: 0.75
                for: 5m
                when: { metric: cache.total_requests, at_least: 20 }
                severity: warning
                summary: "Cache hit rate {{ value | percent }} is below {{ threshold | percent }}"
              - { name: CacheTooLarge, metric: cache.cache_size_mb, above: 500, severity: critical, labels: { team: media } }
            notifiers:
              - { type: alertmanager, url: "http://127.0.0.1:9093", timeout: 2s }
              - { type: webhook, url: "http://127.0.0.1:9000/hook", retries: 5, backoff: 1s, send_resolved: false, repeat_interval: 1h }
            external_url: http://127.0.0.1:8000/
            """)
        #expect(config.rules.count == 2)
        let low = config.rules[0]
        #expect(low.condition == .below(0.70, clearAbove: 0.75))
        #expect(low.forDuration == .seconds(300))
        #expect(low.guards.map(\.metricName) == ["cache.total_requests"])
        #expect(low.guards.first?.atLeast == 20)
        #expect(config.rules[1].condition == .above(500, clearBelow: nil))
        #expect(config.rules[1].labels.map(\.name) == ["alertname", "severity", "team"])
        #expect(config.notifiers[0].kind == .alertmanager)
        #expect(config.notifiers[0].endpoint == "http://127.0.0.1:9093/api/v2/alerts")
        #expect(config.notifiers[0].repeatInterval == .seconds(60))
        #expect(config.notifiers[0].timeout == .seconds(2))
        #expect(config.notifiers[1].retries == 5)
        #expect(config.notifiers[1].sendResolved == false)
        #expect(config.notifiers[1].repeatInterval == .seconds(3600))
        #expect(config.externalURL == "http://127.0.0.1:8000/")
        #expect(AlertSinkConfig.defaultBuffer.whenFull == .block)
    }

    @Test func aListOfWhenConditionsMustAllHold() throws {
        let config = try decode("""
            rules:
              - name: LowHitRate
                metric: cache.recent_hit_rate
                below: 0.7
                when:
                  - { metric: cache.total_requests, at_least: 20 }
                  - { metric: cache.memory_items, at_most: 1000 }
            """)
        #expect(config.rules[0].guards.map(\.metricName) == ["cache.total_requests", "cache.memory_items"])
    }

    @Test func aMistakeInsideAWhenListIsReportedAsSuch() {
        let message = error("""
            rules:
              - name: X
                metric: cache.a
                below: 1
                when:
                  - { metric: cache.total_requests, at_least: 20 }
                  - { metric: cache.memory_items }
            """)
        #expect(message.contains("needs at_least or at_most"), "\(message)")
        #expect(error("rules: [{ name: X, metric: cache.a, below: 1, when: { metric: cache.b, at_lest: 2 } }]").contains("at_least"))
    }

    @Test func aRuleNeedsExactlyOneThreshold() {
        #expect(error("rules: [{ name: X, metric: cache.hit_rate }]").contains("needs a threshold: above: N or below: N"))
        #expect(error("rules: [{ name: X, metric: cache.hit_rate, above: 1, below: 0 }]").contains("has both above and below"))
    }

    @Test func theHysteresisKeyMustMatchTheDirection() {
        #expect(error("rules: [{ name: X, metric: cache.hit_rate, below: 0.7, clear_below: 0.6 }]")
            .contains("its hysteresis key is clear_above"))
        #expect(error("rules: [{ name: X, metric: cache.hit_rate, below: 0.7, clear_above: 0.6 }]")
            .contains("clear_above (0.6) must not be below the firing threshold below (0.7)"))
        #expect(error("rules: [{ name: X, metric: cache.size, above: 5, clear_below: 6 }]")
            .contains("clear_below (6.0) must not be above the firing threshold above (5.0)"))
    }

    @Test func badMetricsTemplatesAndNamesAreExplained() {
        #expect(error("rules: [{ name: X, metric: hit_rate, below: 1 }]").contains("is not <source>.<field>"))
        #expect(error("rules: [{ name: X, metric: cache.hit_rate, below: 1, summary: \"{{ valu }}\" }]")
            .contains("unknown placeholder"))
        #expect(error("rules: [{ name: X, metric: cache.a, below: 1 }, { name: X, metric: cache.b, below: 1 }]")
            .contains("two rules are named X"))
        #expect(error("rules: [{ name: X, metric: cache.a, below: 1, when: { metric: cache.total_requests } }]")
            .contains("needs at_least or at_most"))
        #expect(error("rules: [{ name: X, metric: cache.a, below: 1, labels: { severity: page } }]")
            .contains("use the severity key"))
    }

    @Test func unknownKeysGetASuggestion() {
        let message = error("rules: [{ name: X, metric: cache.a, below: 1, clear_abov: 2 }]")
        #expect(message.contains("clear_abov"))
        #expect(message.contains("clear_above"))
    }

    @Test func notifierMistakesAreExplained() {
        #expect(error("notifiers: [{ type: webhook, url: \"127.0.0.1:9000\" }]").contains("must start with http:// or https://"))
        #expect(error("notifiers: [{ type: pager, url: \"http://x\" }]").contains("use webhook or alertmanager"))
        #expect(error("notifiers: [{ type: webhook, url: \"http://x:1\", retries: -1 }]").contains("retries must be between 0 and 20"))
        #expect(error("notifiers: [{ type: webhook, url: \"http://x:1\", timeout: 0s }]").contains("timeout must be between 1ms and 10m, found 0s"))
        #expect(error("notifiers: [{ type: webhook, url: \"http://x:1\", repeat_interval: 0s }]").contains("repeat_interval must be between 1s and 30d, found 0s"))
    }

    @Test func notifierTLSFilesAreCheckedWhenTheConfigIsRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ca = directory.appendingPathComponent("ca.crt").path
        try "not a certificate\n".write(toFile: ca, atomically: true, encoding: .utf8)
        #expect(error("notifiers: [{ type: alertmanager, url: \"http://am:9093\", ca_file: /x }]").contains("ca_file is for an https:// url, and url is http://am:9093"))
        let missing = error("notifiers: [{ type: alertmanager, url: \"https://am:9093\", ca_file: \(directory.path)/none.crt }]")
        #expect(missing.contains("notifiers[0].ca_file") && missing.contains("none.crt cannot be opened: no such file"), "\(missing)")
        let garbage = error("notifiers: [{ type: alertmanager, url: \"https://am:9093\", ca_file: \(ca) }]")
        #expect(garbage.contains("ca_file: \(ca) is not a PEM certificate"), "\(garbage)")
        let half = error("notifiers: [{ type: alertmanager, url: \"https://am:9093\", key_file: \(ca) }]")
        #expect(half.contains("key_file"), "\(half)")
    }

    @Test func valuesOutOfRangeAreRefused() {
        #expect(error("rules: [{ name: X, metric: cache.a, below: 1, for: 1000d }]").contains("for must be between 0s and 30d, found 1000d"))
        #expect(error("rules: [{ name: X, metric: cache.a, below: 1, min_samples: -1 }]").contains("min_samples must be between 0 and 1,000,000, found -1"))
        #expect(error("rules: [{ name: X, metric: cache.a, below: .nan }]").contains("below must be a finite number, found nan"))
    }
}
