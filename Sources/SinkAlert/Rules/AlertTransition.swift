import MonitorKitCore

/// One state change of one alert: what the `alert` event carries and what notifiers send.
struct AlertTransition: Sendable, Equatable {
    var alertname: String
    var state: AlertState
    var previousState: AlertState
    var severity: String
    var metric: String
    var value: Double
    var threshold: Double
    var labels: [Label]
    var summary: String
    var description: String
    var activeAt: Double
    var firedAt: Double?
    var resolvedAt: Double?
    var fingerprint: String
    /// The sample time that caused the change.
    var time: Double

    struct Label: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// The `alert` event fields, in the order every sink writes them out (API, log, event stream).
    var fields: Fields {
        var labelFields = Fields()
        for label in labels { labelFields.append(label.name, .string(label.value)) }
        return [
            "alertname": .string(alertname),
            "state": .string(state.rawValue),
            "previous_state": .string(previousState.rawValue),
            "severity": .string(severity),
            "metric": .string(metric),
            "value": .double(value),
            "threshold": .double(threshold),
            "labels": .object(labelFields),
            "summary": .string(summary),
            "description": .string(description),
            "active_at": .double(activeAt),
            "fired_at": firedAt.map(Value.double) ?? .null,
            "resolved_at": resolvedAt.map(Value.double) ?? .null,
            "fingerprint": .string(fingerprint),
        ]
    }

    /// The `alert` event published by the sink `source`.
    func event(source: String) -> Event {
        Event(source: source, name: "alert", kind: .alert, time: time, fields: fields)
    }
}

/// A stable 16-hex-digit FNV-1a hash of a label set (sorted by name), the same in every run
/// and on every machine, unlike `Hasher`.
enum Fingerprint {
    static func of(_ labels: [(name: String, value: String)]) -> String {
        var hash = FNV1a()
        for label in labels.sorted(by: { $0.name < $1.name }) {
            // Bytes UTF-8 never holds end the name and the value, so ("ab", "c") is not ("a", "bc").
            hash.combine(label.name.utf8)
            hash.combine(0xff)
            hash.combine(label.value.utf8)
            hash.combine(0xfe)
        }
        return hash.hex
    }
}
