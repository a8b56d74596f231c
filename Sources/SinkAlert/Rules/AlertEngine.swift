import MonitorKitCore

/// Evaluates every rule against the metric samples it is given, at each sample's own time, and
/// says which alerts changed state. Pure: no clock, no I/O, so tests and the benchmark drive it
/// with any timestamps they like.
public struct AlertEngine: Sendable {
    /// The id of the alerts sink, stamped on the `alert` events.
    public let sinkID: String
    private var trackers: [RuleTracker]
    /// Rule indices by the source they watch, so a sample touches only its own rules.
    private var rulesBySource: [String: [Int]] = [:]
    /// The latest value of every guard metric that lives in another source than its rule.
    private var guardValues: [MetricPath: Double] = [:]
    private var guardPathsBySource: [String: [MetricPath]] = [:]
    private var fingerprints: [String] = []

    /// An engine for `rules`, publishing as the sink `sinkID`.
    public init(sinkID: String, rules: [AlertRule]) {
        self.sinkID = sinkID
        trackers = rules.map(RuleTracker.init)
        index()
    }

    private mutating func index() {
        var bySource: [String: [Int]] = [:]
        var guardPaths: [String: Set<MetricPath>] = [:]
        for (index, tracker) in trackers.enumerated() {
            let rule = tracker.rule
            bySource[rule.metric.source, default: []].append(index)
            for guardCondition in rule.guards where guardCondition.metric.source != rule.metric.source {
                guardPaths[guardCondition.metric.source, default: []].insert(guardCondition.metric)
            }
        }
        rulesBySource = bySource
        guardPathsBySource = guardPaths.mapValues(Array.init)
        fingerprints = trackers.map { Fingerprint.of($0.rule.labels) }
    }

    /// Takes a new rule list (a reload): a rule identical to one already here keeps its state
    /// (its `for` timer, firing or not); a rule that is gone while pending or firing is
    /// withdrawn, so views and notifiers hear it end. Returns those transitions.
    mutating func replaceRules(_ rules: [AlertRule], at time: Double) -> [AlertTransition] {
        var kept: [String: RuleTracker] = [:]
        var withdrawn: [AlertTransition] = []
        for index in trackers.indices {
            let identity = String(reflecting: trackers[index].rule)
            if kept[identity] == nil, rules.contains(where: { String(reflecting: $0) == identity }) {
                kept[identity] = trackers[index]
            } else if let previous = trackers[index].withdraw(at: time) {
                withdrawn.append(transition(index, from: previous, at: time, withdrawn: true))
            }
        }
        trackers = rules.map { rule in kept.removeValue(forKey: String(reflecting: rule)) ?? RuleTracker(rule: rule) }
        index()
        return withdrawn
    }

    /// The `alert` events caused by one event (none unless it is a metric sample of a watched source).
    public mutating func evaluate(_ event: Event) -> [Event] {
        transitions(for: event).map { $0.event(source: sinkID) }
    }

    /// The state changes caused by one event.
    mutating func transitions(for event: Event) -> [AlertTransition] {
        guard event.kind == .metric else { return [] }
        if let paths = guardPathsBySource[event.source] {
            for path in paths { guardValues[path] = path.value(in: event.fields) }
        }
        guard let indices = rulesBySource[event.source] else { return [] }
        var out: [AlertTransition] = []
        for index in indices {
            let rule = trackers[index].rule
            let value = rule.metric.value(in: event.fields)
            var guarded = true
            for condition in rule.guards {
                let guardValue = condition.metric.source == event.source
                    ? condition.metric.value(in: event.fields) : guardValues[condition.metric]
                if !condition.admits(guardValue) { guarded = false; break }
            }
            if let previous = trackers[index].observe(value, guarded: guarded, at: event.time) {
                out.append(transition(index, from: previous, at: event.time))
            }
        }
        return out
    }

    /// Alerts firing now, as of their latest sample (for `repeat_interval` re-sends).
    var firing: [AlertTransition] {
        trackers.indices.compactMap { index in
            trackers[index].state == .firing ? transition(index, from: .firing, at: trackers[index].firedAt ?? 0) : nil
        }
    }

    /// The current state of every rule, by name.
    public var states: [String: AlertState] {
        Dictionary(trackers.map { ($0.rule.name, $0.state) }, uniquingKeysWith: { first, _ in first })
    }

    /// `withdrawn`: the reload that changed or removed the rule ended it, not its metric, and the
    /// summary says so rather than "no longer above".
    private func transition(_ index: Int, from previous: AlertState, at time: Double, withdrawn: Bool = false) -> AlertTransition {
        let tracker = trackers[index]
        let rule = tracker.rule
        let threshold = rule.condition.threshold
        let metric = rule.metric.description
        var summary = (tracker.state == .resolved ? rule.resolvedSummary : rule.summary)
            .render(value: tracker.lastValue, threshold: threshold, metric: metric, labels: rule.labels)
        if withdrawn {
            let value = " (\(metric) was \(AlertTemplate.format(tracker.lastValue, .plain)))"
            summary = "rule \(rule.name) was changed or removed by a config reload while \(previous.rawValue)\(value)"
        }
        return AlertTransition(
            alertname: rule.name, state: tracker.state, previousState: previous, severity: rule.severity,
            metric: metric, value: tracker.lastValue, threshold: threshold,
            labels: rule.labels.map { AlertTransition.Label(name: $0.name, value: $0.value) },
            summary: summary,
            description: rule.description.render(value: tracker.lastValue, threshold: threshold, metric: metric, labels: rule.labels),
            activeAt: tracker.activeAt ?? time, firedAt: tracker.firedAt, resolvedAt: tracker.resolvedAt,
            fingerprint: fingerprints[index], time: time)
    }
}
