import MonitorKitCore

/// An alert that is pending or firing, from the `alert` events of the alerts sink.
struct AlertEntry: Sendable, Equatable {
    var fingerprint: String
    var name: String
    /// `pending` or `firing` (resolved and inactive alerts are not kept).
    var state: String
    var severity: String
    var metric: String
    var value: Double?
    var threshold: Double?
    var summary: String
    /// When the condition began (Unix seconds).
    var activeAt: Double?
    var firedAt: Double?

    /// From an `alert` event's fields as the alert sink writes them; `nil` without `alertname` and `state`.
    init?(fields: Fields) {
        guard let name = fields["alertname"]?.stringValue, let state = fields["state"]?.stringValue else { return nil }
        self.name = name
        self.state = state
        severity = fields["severity"]?.stringValue ?? "none"
        metric = fields["metric"]?.stringValue ?? ""
        value = fields["value"]?.doubleValue
        threshold = fields["threshold"]?.doubleValue
        summary = fields["summary"]?.stringValue ?? ""
        activeAt = fields["active_at"]?.doubleValue
        firedAt = fields["fired_at"]?.doubleValue
        // Without a fingerprint the name and labels still tell two alerts apart.
        fingerprint = fields["fingerprint"]?.stringValue ?? (name + "|" + metric)
    }

    var isFiring: Bool { state == "firing" }

    /// Firing before pending, then the most severe first, then by name.
    static func displayOrder(_ a: AlertEntry, _ b: AlertEntry) -> Bool {
        if a.isFiring != b.isFiring { return a.isFiring }
        if a.severityRank != b.severityRank { return a.severityRank < b.severityRank }
        return a.name < b.name
    }

    var severityRank: Int {
        switch severity.lowercased() {
        case "critical", "page", "error": 0
        case "warning", "warn": 1
        case "info": 2
        default: 3
        }
    }
}
