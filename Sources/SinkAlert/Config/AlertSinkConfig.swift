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

    public func build(context: SinkBuildContext) async throws -> any Sink {
        AlertSink(id: context.id, config: self, emitter: context.emitter, logger: context.logger)
    }
}
