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
        guard event.name == "alert", let notice = AlertNotice(event) else { return }
        // The core's view makes a fingerprint from the name and labels when the event has none;
        // the source id keeps two alerts sinks' alerts of one name apart.
        let fingerprint = event.fields["fingerprint"] == nil ? event.source + "/" + notice.fingerprint : notice.fingerprint
        active.withLock { alerts in
            let index = alerts.firstIndex { $0.fingerprint == fingerprint }
            switch (index, notice.isActive) {
            case (let index?, true): alerts[index].fields = event.fields
            case (nil, true): alerts.append((fingerprint: fingerprint, fields: event.fields))
            case (let index?, false): alerts.remove(at: index)
            case (nil, false): break
            }
        }
    }

    /// Active alerts in the order they first became active.
    var alerts: [Fields] {
        active.withLock { $0.map(\.fields) }
    }
}
