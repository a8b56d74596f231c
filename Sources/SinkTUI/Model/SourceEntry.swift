import MonitorKitCore

/// A source as the view lists it in its tabs.
struct SourceEntry: Sendable, Equatable {
    var id: String
    var type: String?
    /// `ok`, `starting`, `failing`, `stopped`, when known.
    var state: String?
    /// Actions the source answers; `nil` when unknown (a remote that does not list them).
    var actions: [String]?
    /// The last `source.error` message while the source is failing.
    var lastError: String?
    /// What each field of its samples is, as the source declares it; empty when it declares none.
    var metrics: [MetricDescriptor]

    init(
        id: String, type: String? = nil, state: String? = nil, actions: [String]? = nil, lastError: String? = nil,
        metrics: [MetricDescriptor] = []
    ) {
        self.id = id
        self.type = type
        self.state = state
        self.actions = actions
        self.lastError = lastError
        self.metrics = metrics
    }

    /// Whether `c` may be offered: the action is listed, or we cannot know.
    var canClear: Bool { actions?.contains("clear") ?? true }
}
