import MonitorKitCore

/// `type: alerts`: threshold rules on metric samples, published as `alert` events and delivered
/// to webhooks or Alertmanager.
public struct AlertSinkConfig: SinkConfig {
    public static let type = "alerts"
    /// Alerts must not be lost: a full queue makes publishers wait instead of dropping.
    public static var defaultBuffer: BufferPolicy { BufferPolicy(maxEvents: 1000, whenFull: .block) }

    public var rules: [AlertRule]
    public var notifiers: [NotifierConfig]
    /// Where people see monitord (its dashboard), sent as `externalURL` and `generatorURL`.
    public var externalURL: String?

    public init(rules: [AlertRule], notifiers: [NotifierConfig] = [], externalURL: String? = nil) {
        self.rules = rules
        self.notifiers = notifiers
        self.externalURL = externalURL
    }

    enum CodingKeys: String, CodingKey {
        case rules, notifiers
        case externalURL = "external_url"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([AlertRule].self, forKey: .rules) ?? []
        var seen = Set<String>()
        for rule in rules where !seen.insert(rule.name).inserted {
            throw DecodingError.dataCorruptedError(
                forKey: .rules, in: c, debugDescription: "two rules are named \(rule.name); alert names must be unique")
        }
        notifiers = try c.decodeIfPresent([NotifierConfig].self, forKey: .notifiers) ?? []
        externalURL = try c.decodeIfPresent(String.self, forKey: .externalURL)
    }

    /// A rule on a source that does not exist, or that this sink does not receive, could never fire.
    public func check(_ context: ConfigCheckContext) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        /// Whether the metric names a figure this sink will see; records why not.
        func checkSource(_ metric: MetricPath, at path: String) -> Bool {
            if let problem = context.unknownMetric(metric.description) {
                problems.append(ConfigProblem(at: path, "\(metric): \(problem), so the rule could never fire"))
            } else if !context.inputs.matches(metric.source) {
                problems.append(ConfigProblem(
                    at: path, "\(metric): this sink's inputs (\(context.inputs.patterns.joined(separator: ", "))) leave out \"\(metric.source)\", so the rule could never fire; add it to inputs"))
            } else {
                return true
            }
            return false
        }
        for (index, rule) in rules.enumerated() {
            let at = "rules[\(index)]"
            if checkSource(rule.metric, at: at + ".metric"), let descriptor = context.descriptor(of: rule.metric.description) {
                if let problem = Self.kindProblem(rule, descriptor) {
                    problems.append(ConfigProblem(at: rule.rate == nil ? at + ".metric" : at + ".rate", problem))
                }
            }
            for (position, condition) in rule.guards.enumerated() {
                _ = checkSource(condition.metric, at: rule.guards.count == 1 ? at + ".when.metric" : at + ".when[\(position)].metric")
            }
        }
        return problems
    }

    /// Why a rule cannot watch a field of this kind as written: a counter's value only grows, so
    /// a threshold on it says how old the count is (it needs `rate`); configuration never moves;
    /// `rate` on a gauge is the pace of a level, which is rarely meant.
    static func kindProblem(_ rule: AlertRule, _ descriptor: MetricDescriptor) -> String? {
        switch (descriptor.kind, rule.rate) {
        case (.counter, nil):
            return "\(rule.metric) is a counter: it only grows until a restart or stats reset, so a threshold on its value fires on how long the cache has run, not on what happens now; add rate: 5m to compare its increase per second"
        case (.info, _):
            return "\(rule.metric) is configuration, not a measurement: it does not change while monitord runs, so the rule would never change state"
        case (.gauge, .some):
            return "\(rule.metric) is a gauge (a level that goes up and down): rate applies to counters; remove rate to compare the value itself"
        default:
            return nil
        }
    }

    public func build(context: SinkBuildContext) async throws -> any Sink {
        AlertSink(id: context.id, config: self, emitter: context.emitter, logger: context.logger)
    }
}
