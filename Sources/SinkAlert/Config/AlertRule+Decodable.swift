extension AlertRule: Decodable {
    enum CodingKeys: String, CodingKey {
        case name, metric, above, below
        case clearAbove = "clear_above"
        case clearBelow = "clear_below"
        case forDuration = "for"
        case keepFiringFor = "keep_firing_for"
        case minSamples = "min_samples"
        case when, severity, labels, summary, description
        case resolvedSummary = "resolved_summary"
        case rate
    }

    /// `rate`: from 1 second to 1 day.
    static let rateRange = Duration.seconds(1) ... .seconds(86400)

    /// `for` and `keep_firing_for`: from 0 to 30 days.
    static let holdRange = Duration.zero ... .seconds(30 * 86400)

    /// A threshold is a finite number: YAML's `.nan` or `.inf` would make a rule that never fires.
    private static func threshold(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Double? {
        guard let value = try c.decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value.isFinite else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(key.stringValue) must be a finite number, found \(value); a rule on it could never fire")
        }
        return value
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        let above = try Self.threshold(c, .above)
        let below = try Self.threshold(c, .below)
        let clearAbove = try Self.threshold(c, .clearAbove)
        let clearBelow = try Self.threshold(c, .clearBelow)
        let condition: Condition
        switch (above, below) {
        case (let above?, nil):
            if clearAbove != nil {
                throw DecodingError.dataCorruptedError(
                    forKey: .clearAbove, in: c,
                    debugDescription: "rule \(name) fires above \(above), so its hysteresis key is clear_below (the value must fall below it to clear)")
            }
            condition = .above(above, clearBelow: clearBelow)
        case (nil, let below?):
            if clearBelow != nil {
                throw DecodingError.dataCorruptedError(
                    forKey: .clearBelow, in: c,
                    debugDescription: "rule \(name) fires below \(below), so its hysteresis key is clear_above (the value must rise above it to clear)")
            }
            condition = .below(below, clearAbove: clearAbove)
        case (.some, .some):
            throw DecodingError.dataCorruptedError(
                forKey: .below, in: c, debugDescription: "rule \(name) has both above and below; a rule has one of them (write two rules for a band)")
        case (nil, nil):
            throw DecodingError.dataCorruptedError(
                forKey: .metric, in: c, debugDescription: "rule \(name) needs a threshold: above: N or below: N")
        }
        // One condition is the usual case; a list of them must all hold. The probe tells the two
        // apart first, so a mistake inside a list is reported as such.
        let guards: [MetricGuard]
        if (try? c.decodeIfPresent(ListProbe.self, forKey: .when)) != nil {
            guards = try c.decode([MetricGuard].self, forKey: .when)
        } else {
            guards = try c.decodeIfPresent(MetricGuard.self, forKey: .when).map { [$0] } ?? []
        }
        do {
            try self.init(
                name: name,
                metric: try c.decode(String.self, forKey: .metric),
                condition: condition,
                rate: try c.decodeIfPresent(Duration.self, forKey: .rate, in: Self.rateRange),
                for: try c.decodeIfPresent(Duration.self, forKey: .forDuration, in: Self.holdRange) ?? .zero,
                keepFiringFor: try c.decodeIfPresent(Duration.self, forKey: .keepFiringFor, in: Self.holdRange) ?? .zero,
                minSamples: try c.decodeIfPresent(Int.self, forKey: .minSamples, in: 0...1_000_000) ?? 0,
                when: guards,
                severity: try c.decodeIfPresent(String.self, forKey: .severity) ?? "warning",
                labels: try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
                summary: try c.decodeIfPresent(String.self, forKey: .summary),
                resolvedSummary: try c.decodeIfPresent(String.self, forKey: .resolvedSummary),
                description: try c.decodeIfPresent(String.self, forKey: .description) ?? "")
        } catch let error as AlertRuleError {
            throw DecodingError.dataCorruptedError(forKey: CodingKeys(stringValue: error.key) ?? .name, in: c, debugDescription: error.message)
        }
    }
}

/// Decodes from a list of anything and reads nothing else: tells a list from a mapping.
private struct ListProbe: Decodable {
    init(from decoder: any Decoder) throws {
        _ = try decoder.unkeyedContainer()
    }
}
