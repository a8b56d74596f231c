/// The state of one component, as `/health`, `/api/sources` and the terminal view report it.
public enum HealthState: String, Sendable, Codable, CaseIterable {
    /// Built, first sample not taken yet.
    case starting
    case ok
    /// The last sample failed; the scheduler is backing off.
    case failing
    case stopped
}

/// A component's identity and health.
public struct ComponentStatus: Sendable, Equatable {
    public enum Role: String, Sendable, Codable { case source, sink }

    public var id: String
    public var role: Role
    public var type: String
    public var state: HealthState
    /// The last error, while `failing`.
    public var message: String?
    /// Unix seconds when `state` last changed.
    public var since: Double

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
    public var id: String
    public var type: String
    public var actions: [String]
    /// `true` when the source adopts ``KeyValueStore`` (the HTTP data plane serves it).
    public var isStore: Bool
    public var interval: Duration
    /// The fields its samples carry, as the source declares them (none: views show the fields
    /// as they come).
    public var metrics: [MetricDescriptor]

    public init(id: String, type: String, actions: [String], isStore: Bool, interval: Duration, metrics: [MetricDescriptor] = []) {
        self.id = id
        self.type = type
        self.actions = actions
        self.isStore = isStore
        self.interval = interval
        self.metrics = metrics
    }
}
