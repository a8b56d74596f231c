import MonitorKitCore

extension LogLevel {
    /// The level the log sink gives an event: samples and happenings are `info`, a failing
    /// source is `error`, an alert that is pending or firing is `warn` (`error` when its
    /// severity is `critical`), and an alert going back to resolved or inactive is `info`.
    /// A notifier giving up (`notification.failed`) is `error` too.
    public static func of(_ event: Event) -> LogLevel {
        switch event.kind {
        case .metric:
            return .info
        case .event:
            return event.name == "source.error" || event.name == "notification.failed" ? .error : .info
        case .alert:
            let state = event.fields["state"]?.stringValue
            if state == "resolved" || state == "inactive" { return .info }
            return event.fields["severity"]?.stringValue == "critical" ? .error : .warn
        }
    }
}

