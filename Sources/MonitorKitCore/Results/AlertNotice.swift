/// An `alert` event as every sink reads it: the one typed view of what the alerts sink publishes
/// on each state change, so no sink parses the fields on its own.
public struct AlertNotice: Sendable, Equatable {
    /// Where an alert is in its life.
    public enum State: String, Sendable, CaseIterable {
        case inactive, pending, firing, resolved
    }

    public var alertname: String
    public var state: State
    public var previousState: State
    /// `critical`, `warning`, `info`, or what the rule says.
    public var severity: String
    /// The metric address the rule watches (`cache.recent_hit_rate`).
    public var metric: String
    /// The value at the change.
    public var value: Double?
    public var threshold: Double?
    /// The rule's labels, besides `alertname` and `severity`.
    public var labels: [(name: String, value: String)]
    public var summary: String
    public var description: String
    /// When the condition began, fired, and resolved (Unix seconds).
    public var activeAt: Double?
    public var firedAt: Double?
    public var resolvedAt: Double?
    /// Tells two alerts of one rule apart (a hash of the label set); stable across runs.
    public var fingerprint: String

    /// A notice with every field given.
    public init(
        alertname: String, state: State, previousState: State, severity: String, metric: String, value: Double?,
        threshold: Double?, labels: [(name: String, value: String)], summary: String, description: String,
        activeAt: Double?, firedAt: Double?, resolvedAt: Double?, fingerprint: String
    ) {
        self.alertname = alertname
        self.state = state
        self.previousState = previousState
        self.severity = severity
        self.metric = metric
        self.value = value
        self.threshold = threshold
        self.labels = labels
        self.summary = summary
        self.description = description
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.fingerprint = fingerprint
    }

    /// The notice an event carries, or `nil` when it is not an `alert` event.
    public init?(_ event: Event) {
        guard event.kind == .alert else { return nil }
        self.init(fields: event.fields)
    }

    /// From the fields of an `alert` event (or an `/api/alerts` entry); `nil` without a known
    /// state. A missing fingerprint is made from the name and the labels.
    public init?(fields: Fields) {
        guard let state = fields["state"]?.stringValue.flatMap(State.init(rawValue:)) else { return nil }
        let name = fields["alertname"]?.stringValue ?? ""
        let labels = (fields["labels"]?.objectValue ?? Fields()).compactMap { entry in
            entry.value.stringValue.map { (name: entry.name, value: $0) }
        }
        self.init(
            alertname: name, state: state,
            previousState: fields["previous_state"]?.stringValue.flatMap(State.init(rawValue:)) ?? .inactive,
            severity: fields["severity"]?.stringValue ?? "none", metric: fields["metric"]?.stringValue ?? "",
            value: fields["value"]?.doubleValue, threshold: fields["threshold"]?.doubleValue, labels: labels,
            summary: fields["summary"]?.stringValue ?? "", description: fields["description"]?.stringValue ?? "",
            activeAt: fields["active_at"]?.doubleValue, firedAt: fields["fired_at"]?.doubleValue,
            resolvedAt: fields["resolved_at"]?.doubleValue,
            fingerprint: fields["fingerprint"]?.stringValue ?? name + labels.map { "|" + $0.name + "=" + $0.value }.joined())
    }

    /// Pending or firing: the alert wants attention.
    public var isActive: Bool { state == .pending || state == .firing }

    /// The `alert` event's fields, in the order of the event contract.
    public var fields: Fields {
        var labelFields = Fields()
        for label in labels { labelFields.append(label.name, .string(label.value)) }
        return [
            "alertname": .string(alertname),
            "state": .string(state.rawValue),
            "previous_state": .string(previousState.rawValue),
            "severity": .string(severity),
            "metric": .string(metric),
            "value": value.map(Value.double) ?? .null,
            "threshold": threshold.map(Value.double) ?? .null,
            "labels": .object(labelFields),
            "summary": .string(summary),
            "description": .string(description),
            "active_at": activeAt.map(Value.double) ?? .null,
            "fired_at": firedAt.map(Value.double) ?? .null,
            "resolved_at": resolvedAt.map(Value.double) ?? .null,
            "fingerprint": .string(fingerprint),
        ]
    }

    public static func == (lhs: AlertNotice, rhs: AlertNotice) -> Bool {
        lhs.fields == rhs.fields
    }
}
