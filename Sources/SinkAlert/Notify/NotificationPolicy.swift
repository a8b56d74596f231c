/// What one notifier sends, decided at sample time: an alert when it starts firing, again every
/// `repeat_interval` while it fires, and once when it resolves (if `send_resolved`).
struct NotificationPolicy: Sendable {
    let repeatInterval: Double
    let sendResolved: Bool
    /// When each firing alert (by fingerprint) was last sent.
    private var lastSent: [String: Double] = [:]

    init(repeatInterval: Duration, sendResolved: Bool) {
        self.repeatInterval = repeatInterval.seconds
        self.sendResolved = sendResolved
    }

    /// The notices due at `now`, given this sample's transitions and the alerts firing now.
    mutating func notices(transitions: [AlertTransition], firing: [AlertTransition], now: Double) -> [NotifierMessage] {
        var out: [NotifierMessage] = []
        for transition in transitions {
            switch transition.state {
            case .firing:
                lastSent[transition.fingerprint] = now
                out.append(NotifierMessage(transition))
            case .resolved:
                // Only an alert that was announced gets a resolution.
                if lastSent.removeValue(forKey: transition.fingerprint) != nil, sendResolved {
                    out.append(NotifierMessage(transition))
                }
            case .pending, .inactive:
                break
            }
        }
        for alert in firing {
            guard let last = lastSent[alert.fingerprint], now - last >= repeatInterval else { continue }
            lastSent[alert.fingerprint] = now
            out.append(NotifierMessage(alert))
        }
        return out
    }
}
