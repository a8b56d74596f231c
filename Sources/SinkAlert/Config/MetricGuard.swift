/// A condition on another figure that must hold before a rule may leave inactive, so that a
/// cold cache (few requests, a hit rate of 0) does not page anyone:
/// `when: { metric: cache.total_requests, at_least: 20 }`.
public struct MetricGuard: Sendable, Equatable, Decodable {
    let metric: MetricPath
    /// The guard holds while the metric is at least this.
    public let atLeast: Double?
    /// The guard holds while the metric is at most this.
    public let atMost: Double?

    /// The guarded metric's address, `<source>.<field>`.
    public var metricName: String { metric.description }

    /// A guard on `metric` with the given bounds; an address that is not `<source>.<field>` throws.
    public init(metric: String, atLeast: Double? = nil, atMost: Double? = nil) throws(AlertRuleError) {
        guard let path = MetricPath(metric) else {
            throw AlertRuleError(key: "when.metric", "\"\(metric)\" is not <source>.<field>: a source id, a dot, and a field of its samples")
        }
        guard atLeast != nil || atMost != nil else {
            throw AlertRuleError(key: "when", "a when condition needs at_least or at_most, e.g. { metric: \(metric), at_least: 20 }")
        }
        self.metric = path
        self.atLeast = atLeast
        self.atMost = atMost
    }

    /// Whether `value` (the guard metric's latest value, `nil` if never seen) lets the rule count.
    func admits(_ value: Double?) -> Bool {
        guard let value else { return false }
        if let atLeast, value < atLeast { return false }
        if let atMost, value > atMost { return false }
        return true
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case atLeast = "at_least"
        case atMost = "at_most"
    }

    /// Decodes `{ metric, at_least, at_most }`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                metric: try c.decode(String.self, forKey: .metric),
                atLeast: try c.decodeIfPresent(Double.self, forKey: .atLeast),
                atMost: try c.decodeIfPresent(Double.self, forKey: .atMost))
        } catch let error as AlertRuleError {
            throw DecodingError.dataCorruptedError(forKey: error.key == "when.metric" ? .metric : .atLeast, in: c, debugDescription: error.message)
        }
    }
}
