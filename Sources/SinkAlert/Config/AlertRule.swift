/// One threshold rule of the `alerts` sink, validated.
///
/// ```yaml
/// - name: LowHitRate
///   metric: cache.recent_hit_rate
///   below: 0.70
///   clear_above: 0.75
///   for: 5m
///   when: { metric: cache.total_requests, at_least: 20 }
///   severity: warning
///   summary: "hit rate {{ value | percent }} is below {{ threshold | percent }}"
/// - name: CacheCorruption
///   metric: cache.corrupt_entries
///   rate: 5m             # a counter: its increase per second over 5 minutes
///   above: 0
/// ```
public struct AlertRule: Sendable {
    /// When the rule's condition starts and stops holding.
    public enum Condition: Sendable, Equatable {
        /// Holds once the value rises above `threshold`; stops once it falls below `clearBelow`
        /// (or, without it, as soon as it is no longer above `threshold`).
        case above(Double, clearBelow: Double?)
        /// Holds once the value falls below `threshold`; stops once it rises above `clearAbove`
        /// (or, without it, as soon as it is no longer below `threshold`).
        case below(Double, clearAbove: Double?)

        /// The firing threshold (`{{ threshold }}`).
        public var threshold: Double {
            switch self {
            case .above(let t, _), .below(let t, _): t
            }
        }

        /// Whether a value that is not yet alerting starts the condition.
        func starts(_ value: Double) -> Bool {
            switch self {
            case .above(let t, _): value > t
            case .below(let t, _): value < t
            }
        }

        /// Whether a value ends a condition that holds: the hysteresis band keeps it holding.
        func ends(_ value: Double) -> Bool {
            switch self {
            case .above(let t, let clear): clear.map { value < $0 } ?? (value <= t)
            case .below(let t, let clear): clear.map { value > $0 } ?? (value >= t)
            }
        }
    }

    /// The rule's name: the alert's `alertname`.
    public let name: String
    let metric: MetricPath
    /// When the rule is breached.
    public let condition: Condition
    /// When set, the rule compares the metric's increase per second over this window instead of
    /// its value: the way to alert on a counter (`rate: 5m`).
    public let rate: Duration?
    /// How long the condition must hold before the alert fires (pending until then).
    public let forDuration: Duration
    /// How long a firing alert stays firing after the condition ends.
    public let keepFiringFor: Duration
    /// Samples of the source the rule must have seen before it may leave inactive.
    public let minSamples: Int
    /// Conditions on other figures that must hold for the rule to count (the cold-cache guard).
    public let guards: [MetricGuard]
    /// `critical`, `warning`, `info`, or a name of the operator's.
    public let severity: String
    /// `alertname`, `severity`, then the rule's own labels by name.
    public let labels: [(name: String, value: String)]
    let summary: AlertTemplate
    /// The summary of the resolved notice: the firing words ("above 2") would contradict the value.
    let resolvedSummary: AlertTemplate
    let description: AlertTemplate

    /// The metric address, `<source>.<field>`.
    public var metricName: String { metric.description }

    /// Validates a rule; the error says what to change.
    public init(
        name: String, metric: String, condition: Condition, rate: Duration? = nil, for forDuration: Duration = .zero,
        keepFiringFor: Duration = .zero, minSamples: Int = 0, when guards: [MetricGuard] = [],
        severity: String = "warning", labels: [String: String] = [:], summary: String? = nil, resolvedSummary: String? = nil, description: String = ""
    ) throws(AlertRuleError) {
        guard !name.isEmpty else { throw AlertRuleError(key: "name", "a rule needs a name, e.g. name: LowHitRate") }
        guard let path = MetricPath(metric) else {
            throw AlertRuleError(key: "metric", "\"\(metric)\" is not <source>.<field>: a source id, a dot, and a field of its samples")
        }
        switch condition {
        case .above(let t, let clear?) where clear > t:
            throw AlertRuleError(key: "clear_below", "clear_below (\(clear)) must not be above the firing threshold above (\(t))")
        case .below(let t, let clear?) where clear < t:
            throw AlertRuleError(key: "clear_above", "clear_above (\(clear)) must not be below the firing threshold below (\(t))")
        default:
            guard condition.threshold.isFinite else { throw AlertRuleError(key: "threshold", "the threshold must be a finite number") }
        }
        guard forDuration >= .zero else { throw AlertRuleError(key: "for", "for must not be negative") }
        guard keepFiringFor >= .zero else { throw AlertRuleError(key: "keep_firing_for", "keep_firing_for must not be negative") }
        guard minSamples >= 0 else { throw AlertRuleError(key: "min_samples", "min_samples must be 0 or more, found \(minSamples)") }
        guard !severity.isEmpty else { throw AlertRuleError(key: "severity", "severity is empty; use critical, warning or info") }
        for reserved in ["alertname", "severity"] where labels[reserved] != nil {
            throw AlertRuleError(key: "labels", "labels.\(reserved) is set by the rule itself; use the \(reserved == "alertname" ? "name" : "severity") key")
        }
        self.name = name
        self.metric = path
        self.condition = condition
        self.rate = rate
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.minSamples = minSamples
        self.guards = guards
        self.severity = severity
        self.labels = [(name: "alertname", value: name), (name: "severity", value: severity)]
            + labels.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        let defaultSummary = switch condition {
        case .above: "{{ metric }} is {{ value }}, above {{ threshold }}"
        case .below: "{{ metric }} is {{ value }}, below {{ threshold }}"
        }
        // A summary of one's own is resolved with the same words unless resolved_summary is given.
        let resolvedWords = switch condition {
        case .above: "{{ metric }} is {{ value }}, no longer above {{ threshold }}"
        case .below: "{{ metric }} is {{ value }}, no longer below {{ threshold }}"
        }
        let defaultResolved = summary ?? resolvedWords
        do {
            self.summary = try AlertTemplate(summary ?? defaultSummary)
        } catch {
            throw AlertRuleError(key: "summary", error.description)
        }
        do {
            self.resolvedSummary = try AlertTemplate(resolvedSummary ?? defaultResolved)
        } catch {
            throw AlertRuleError(key: "resolved_summary", error.description)
        }
        do {
            self.description = try AlertTemplate(description)
        } catch {
            throw AlertRuleError(key: "description", error.description)
        }
        let known = Set(self.labels.map(\.name))
        for (key, template) in [("summary", self.summary), ("resolved_summary", self.resolvedSummary), ("description", self.description)] {
            if let missing = template.labelNames.first(where: { !known.contains($0) }) {
                throw AlertRuleError(
                    key: key,
                    "{{ labels.\(missing) }} names no label of rule \(name) (labels: \(self.labels.map(\.name).joined(separator: ", ")))")
            }
        }
    }
}

/// A rule that cannot work as written.
public struct AlertRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config key at fault.
    public var key: String
    /// What is wrong with the rule, and how to fix it.
    public var message: String

    init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    /// The message alone.
    public var description: String { message }
}
