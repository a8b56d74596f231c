import MonitorKitCore
import Synchronization

/// The alerts that are pending or firing now, kept from the `alert` events on the sink's
/// subscription; `/api/alerts` lists them.
final class AlertBoard: Sendable {
    private let active: Mutex<[(fingerprint: String, fields: Fields)]>

    init() {
        active = Mutex([])
    }

    /// Applies one event; anything but an `alert` event is ignored.
    func record(_ event: Event) {
        guard event.kind == .alert, event.name == "alert" else { return }
        let fields = event.fields
        let state = fields["state"]?.stringValue ?? ""
        let fingerprint = fields["fingerprint"]?.stringValue ?? Self.fallbackFingerprint(event)
        let isActive = state == "pending" || state == "firing"
        active.withLock { alerts in
            let index = alerts.firstIndex { $0.fingerprint == fingerprint }
            switch (index, isActive) {
            case (let index?, true): alerts[index].fields = fields
            case (nil, true): alerts.append((fingerprint: fingerprint, fields: fields))
            case (let index?, false): alerts.remove(at: index)
            case (nil, false): break
            }
        }
    }

    /// Active alerts in the order they first became active.
    var alerts: [Fields] {
        active.withLock { $0.map(\.fields) }
    }

    /// Alerts without a fingerprint are told apart by their name and labels.
    private static func fallbackFingerprint(_ event: Event) -> String {
        let name = event.fields["alertname"]?.stringValue ?? ""
        return event.source + "/" + name + (event.fields["labels"]?.json ?? "")
    }
}
