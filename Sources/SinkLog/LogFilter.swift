import MonitorKitCore

/// Decides which events the log sink writes, and at what level: `kinds`, `min_level` and
/// `sample_every` (one in N metric samples of each source, starting with the first).
struct LogFilter {
    let kinds: Set<Event.Kind>
    let minLevel: LogLevel
    let sampleEvery: Int
    private var seen: [String: Int] = [:]

    init(config: LogSinkConfig) {
        kinds = config.kinds
        minLevel = config.minLevel
        sampleEvery = config.sampleEvery
    }

    /// The level to write `event` at, or `nil` to skip it.
    mutating func admit(_ event: Event) -> LogLevel? {
        guard kinds.contains(event.kind) else { return nil }
        let level = LogLevel.of(event)
        guard level >= minLevel else { return nil }
        if event.kind == .metric, sampleEvery > 1 {
            let count = seen[event.source, default: 0]
            seen[event.source] = count + 1
            guard count % sampleEvery == 0 else { return nil }
        }
        return level
    }
}
