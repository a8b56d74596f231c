/// The state of one component, as `/health`, `/api/sources` and the terminal view report it.
public enum HealthState: String, Sendable, Codable, CaseIterable {
    /// Built, first sample not taken yet.
    case starting
    /// Running, and its last sample (for a source) succeeded.
    case ok
    /// The last sample failed; the scheduler is backing off.
    case failing
    /// Finished: shut down, or its run ended.
    case stopped
}

/// A component's identity and health.
public struct ComponentStatus: Sendable, Equatable {
    /// Whether the component is a source or a sink.
    public enum Role: String, Sendable, Codable { case source, sink }

    /// The component id.
    public var id: String
    /// Source or sink.
    public var role: Role
    /// The plugin type (`cache`, `http`).
    public var type: String
    /// The state now.
    public var state: HealthState
    /// The last error, while `failing`.
    public var message: String?
    /// Unix seconds when `state` last changed.
    public var since: Double

    /// The status of the component `id`, in `state` since `since` (Unix seconds).
    public init(id: String, role: Role, type: String, state: HealthState, message: String? = nil, since: Double) {
        self.id = id
        self.role = role
        self.type = type
        self.state = state
        self.message = message
        self.since = since
    }

    /// `{"id","role","type","state","message"?,"since"}`.
    public var fields: Fields {
        var f: Fields = ["id": .string(id), "role": .string(role.rawValue), "type": .string(type), "state": .string(state.rawValue)]
        if let message { f.append("message", .string(message)) }
        f.append("since", .double(since))
        return f
    }
}

/// A source's identity as sinks see it.
public struct SourceInfo: Sendable, Equatable {
    /// The component id.
    public var id: String
    /// The plugin type (`cache`, `system`).
    public var type: String
    /// The actions it answers (`stats`, `clear`).
    public var actions: [String]
    /// `true` when the source adopts ``KeyValueStore`` (the HTTP data plane serves it).
    public var isStore: Bool
    /// How often it is sampled.
    public var interval: Duration
    /// The fields its samples carry, as the source declares them (none: views show the fields
    /// as they come).
    public var metrics: [MetricDescriptor]

    /// The identity of the source `id`.
    public init(id: String, type: String, actions: [String], isStore: Bool, interval: Duration, metrics: [MetricDescriptor] = []) {
        self.id = id
        self.type = type
        self.actions = actions
        self.isStore = isStore
        self.interval = interval
        self.metrics = metrics
    }
}
