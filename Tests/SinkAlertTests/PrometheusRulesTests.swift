import MonitorKitCore
import Testing
@testable import SinkAlert

/// Alert rules as a Prometheus rule file: the series, thresholds in the field's own units,
/// rates, guards, hysteresis and templates.
@Suite struct PrometheusRulesTests {
    static let metrics: [String: [MetricDescriptor]] = [
        "store": [
            MetricDescriptor(
                "errors", .counter, .items, help: "Errors.",
                export: MetricExport(family: "store_errors", help: "Errors.", labels: [MetricLabel("kind", "disk")], reading: "lifetime_errors")),
            MetricDescriptor(
                "size_mb", .gauge, .bytes, scale: 1_048_576, help: "Size.", export: MetricExport(family: "store_size", help: "Size.")),
            MetricDescriptor("note", .info, .none, help: "Not exported."),
        ],
        "traffic": [MetricDescriptor("requests", .counter, .items, help: "Requests.", export: MetricExport(family: "traffic_requests", help: "Requests."))],
    ]

    @Test func aRateRuleWithAGuardOnAnotherSourceKeepsItsThresholdForLabelsAndSummary() throws {
        let rule = try AlertRule(
            name: "Errors", metric: "store.errors", condition: .above(0.5, clearBelow: nil), rate: .seconds(300),
            for: .seconds(90), keepFiringFor: .seconds(600), when: [try MetricGuard(metric: "traffic.requests", atLeast: 10)],
            severity: "critical", labels: ["team": "media"],
            summary: "{{ metric }} at {{ value }}/s over {{ threshold }} for {{ labels.team }}")
        let text = try PrometheusRules.render(sinks: [(id: "alerts", rules: [rule])], metrics: Self.metrics, file: "monitord.yaml")
        #expect(text.contains(#"  - name: "monitord-alerts""#))
        #expect(text.contains(#"expr: "rate(monitord_store_errors_total{source=\"store\",kind=\"disk\"}[5m]) > 0.5 and on(instance, job) (monitord_traffic_requests_total{source=\"traffic\"} >= 10)""#))
        #expect(text.contains("        for: 1m30s\n        keep_firing_for: 10m\n"))
        #expect(text.contains(#"          "severity": "critical""#))
        #expect(text.contains(#"          "team": "media""#))
        #expect(!text.contains(#""alertname""#))
        #expect(text.contains(#"summary: "store.errors at {{ $value | printf \"%.4g\" }}/s over 0.5 for media""#))
    }

    @Test func aScaledFieldIsComparedInItsOwnUnitsAndHysteresisHoldsThroughALERTS() throws {
        let rule = try AlertRule(name: "Big", metric: "store.size_mb", condition: .above(500, clearBelow: 450))
        let text = try PrometheusRules.render(sinks: [(id: "a", rules: [rule])], metrics: Self.metrics, file: "f")
        #expect(text.contains(#"expr: "(monitord_store_size_bytes{source=\"store\"} / 1048576 > 500) or (monitord_store_size_bytes{source=\"store\"} / 1048576 >= 450 and on(instance, job, source) ALERTS{alertname=\"Big\"})""#))
    }

    @Test func aFieldWithoutASeriesCannotBeExportedAndTheErrorSaysWhich() throws {
        let rule = try AlertRule(name: "Odd", metric: "store.note", condition: .below(1, clearAbove: nil))
        #expect {
            _ = try PrometheusRules.render(sinks: [(id: "a", rules: [rule])], metrics: Self.metrics, file: "f")
        } throws: { error in
            "\(error)" == "rule Odd: store.note is not exported to /metrics, so Prometheus cannot watch it"
        }
        let nested = try AlertRule(name: "Drops", metric: "internal.subscriptions.log.dropped", condition: .above(0, clearBelow: nil))
        #expect {
            _ = try PrometheusRules.render(sinks: [(id: "a", rules: [nested])], metrics: Self.metrics, file: "f")
        } throws: { error in
            "\(error)" == "rule Drops: internal.subscriptions.log.dropped is not a field its source declares, so it has no Prometheus series"
        }
    }
}
