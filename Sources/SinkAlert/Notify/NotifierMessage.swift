import MonitorKitCore

/// One alert as a notifier sends it: firing (the first time or again after `repeat_interval`)
/// or resolved.
struct NotifierMessage: Sendable, Equatable {
    var alertname: String
    /// `firing` or `resolved`.
    var status: AlertState
    var labels: [AlertTransition.Label]
    /// `summary`, then `description` when it is not empty.
    var annotations: [AlertTransition.Label]
    var startsAt: Double
    var endsAt: Double?
    var fingerprint: String

    init(
        alertname: String, status: AlertState, labels: [AlertTransition.Label], annotations: [AlertTransition.Label],
        startsAt: Double, endsAt: Double?, fingerprint: String
    ) {
        self.alertname = alertname
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.fingerprint = fingerprint
    }

    init(_ transition: AlertTransition) {
        alertname = transition.alertname
        status = transition.state
        labels = transition.labels
        annotations = [AlertTransition.Label(name: "summary", value: transition.summary)]
        if !transition.description.isEmpty {
            annotations.append(AlertTransition.Label(name: "description", value: transition.description))
        }
        startsAt = transition.firedAt ?? transition.activeAt
        endsAt = transition.state == .resolved ? transition.resolvedAt ?? transition.time : nil
        fingerprint = transition.fingerprint
    }
}

extension [AlertTransition.Label] {
    var fields: Fields {
        var fields = Fields()
        for label in self { fields.append(label.name, .string(label.value)) }
        return fields
    }
}
