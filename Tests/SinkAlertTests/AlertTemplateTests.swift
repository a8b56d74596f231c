import MonitorKitCore
import Testing
@testable import SinkAlert

@Suite struct AlertTemplateTests {
    let labels: [(name: String, value: String)] = [("alertname", "LowHitRate"), ("severity", "warning"), ("team", "media")]

    @Test func placeholdersRender() throws {
        let template = try AlertTemplate("{{ labels.alertname }} on {{metric}}: {{ value }} < {{ threshold }} (team {{ labels.team }})")
        let text = template.render(value: 0.65321, threshold: 0.7, metric: "cache.recent_hit_rate", labels: labels)
        #expect(text == "LowHitRate on cache.recent_hit_rate: 0.6532 < 0.7 (team media)")
    }

    @Test func percentFilterAndWholeNumbers() throws {
        let template = try AlertTemplate("hit rate {{ value | percent }} below {{ threshold|percent }}; size {{ value }}")
        #expect(template.render(value: 0.653, threshold: 0.7, metric: "m", labels: []) == "hit rate 65.3% below 70%; size 0.653")
        #expect(try AlertTemplate("{{ value }} MB").render(value: 512, threshold: 0, metric: "m", labels: []) == "512 MB")
    }

    @Test func textWithoutPlaceholdersStaysAsIs() throws {
        #expect(try AlertTemplate("plain { text }").render(value: 1, threshold: 2, metric: "m", labels: []) == "plain { text }")
        #expect(try AlertTemplate("").render(value: 1, threshold: 2, metric: "m", labels: []) == "")
    }

    @Test func unknownPlaceholderIsRejectedWithTheChoices() {
        #expect(throws: AlertTemplate.ParseError(description: "unknown placeholder \"{{ valu }}\" (use value, threshold, metric or labels.NAME)")) {
            try AlertTemplate("{{ valu }}")
        }
        #expect(throws: AlertTemplate.ParseError.self) { try AlertTemplate("{{ value | upper }}") }
        #expect(throws: AlertTemplate.ParseError.self) { try AlertTemplate("value is {{ value") }
    }

    @Test func ruleSummaryRendersIntoTheAlert() throws {
        let rule = try lowHitRate(for: .zero, summary: "{{ labels.team }}: hit rate {{ value | percent }} below {{ threshold | percent }}")
        var engine = AlertEngine(sinkID: "alerts", rules: [rule])
        let event = try #require(engine.evaluate(cacheSample(at: 0, hitRate: 0.42)).first)
        #expect(event.fields["summary"] == "media: hit rate 42% below 70%")
    }

    @Test func defaultSummarySaysWhatCrossedWhat() throws {
        var engine = AlertEngine(sinkID: "alerts", rules: [try lowHitRate(for: .zero)])
        let event = try #require(engine.evaluate(cacheSample(at: 0, hitRate: 0.5)).first)
        #expect(event.fields["summary"] == "cache.recent_hit_rate is 0.5, below 0.7")
    }

    /// The resolved notice once repeated the firing words: "resolved: cache.disk_items 0 > 2".
    @Test func theResolvedNoticeSaysTheValueNoLongerCrossesTheThreshold() throws {
        let tooLarge = try AlertRule(name: "TooLarge", metric: "cache.cache_size_mb", condition: .above(2, clearBelow: nil))
        var engine = AlertEngine(sinkID: "alerts", rules: [tooLarge, try lowHitRate(for: .zero)])
        let fired = engine.evaluate(cacheSample(at: 0, hitRate: 0.5, sizeMB: 3))
        #expect(fired.map { $0.fields["summary"] } == ["cache.cache_size_mb is 3, above 2", "cache.recent_hit_rate is 0.5, below 0.7"])
        let resolved = engine.evaluate(cacheSample(at: 5, hitRate: 0.8, sizeMB: 0))
        #expect(resolved.map { $0.fields["state"] } == ["resolved", "resolved"])
        #expect(resolved.map { $0.fields["summary"] } == ["cache.cache_size_mb is 0, no longer above 2", "cache.recent_hit_rate is 0.8, no longer below 0.7"])
    }

    @Test func resolvedSummaryIsTheRulesOwnWhenGiven() throws {
        let rule = try AlertRule(
            name: "TooLarge", metric: "cache.cache_size_mb", condition: .above(2, clearBelow: nil),
            summary: "cache is {{ value }} MB", resolvedSummary: "cache is back to {{ value }} MB")
        var engine = AlertEngine(sinkID: "alerts", rules: [rule])
        #expect(engine.evaluate(cacheSample(at: 0, hitRate: 1, sizeMB: 3)).first?.fields["summary"] == "cache is 3 MB")
        #expect(engine.evaluate(cacheSample(at: 5, hitRate: 1, sizeMB: 1)).first?.fields["summary"] == "cache is back to 1 MB")
    }

    @Test func aLabelTheRuleDoesNotHaveIsAConfigError() {
        #expect(throws: AlertRuleError.self) {
            try AlertRule(name: "X", metric: "cache.hit_rate", condition: .below(0.5, clearAbove: nil), summary: "{{ labels.owner }}")
        }
    }
}
