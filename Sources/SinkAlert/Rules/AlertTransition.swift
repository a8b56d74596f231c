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

    /// The change as every sink reads it.
    var notice: AlertNotice {
        AlertNotice(
            alertname: alertname, state: state, previousState: previousState, severity: severity, metric: metric,
            value: value, threshold: threshold, labels: labels.map { (name: $0.name, value: $0.value) }, summary: summary,
            description: description, activeAt: activeAt, firedAt: firedAt, resolvedAt: resolvedAt, fingerprint: fingerprint)
    }

    /// The `alert` event fields: the notice's.
    var fields: Fields { notice.fields }

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
