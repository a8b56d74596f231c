/// What a reload did to one component.
public struct ReloadChange: Sendable, Equatable {
    /// What happened to the component.
    public enum Action: String, Sendable {
        /// Its config did not change: it kept running untouched.
        case kept
        /// Its config changed and it took the change while running (a cache's limits, an alert
        /// rule list), or only its schedule changed.
        case updated
        /// Its config changed: a new one replaced it.
        case rebuilt
        /// New in the file: started.
        case added
        /// Gone from the file (or `enabled: false`): stopped.
        case removed
        /// Its new config could not be applied; what ran before still runs.
        case failed
    }

    /// `sources.<id>` or `sinks.<id>`.
    public var component: String
    /// What the reload did.
    public var action: Action
    /// Why it failed, or what to know about the change.
    public var message: String?

    /// A change to `component`.
    public init(component: String, action: Action, message: String? = nil) {
        self.component = component
        self.action = action
        self.message = message
    }
}

/// How one reload of the config went: every error (a file that fails validation changes
/// nothing), and what happened to each component when the file was applied.
public struct ReloadOutcome: Sendable {
    /// The file that was read.
    public var file: String
    /// Unix seconds when the reload finished.
    public var time: Double
    /// Every error, each on one line (`file:line:column: message` for the file's own); empty
    /// when the new config was loaded and applied in full.
    public var errors: [String]
    /// What happened to each component, in config order (empty when the file was refused).
    public var changes: [ReloadChange]
    /// Settings that changed but only take effect at the next start.
    public var notes: [String]

    /// A reload of `file` that ended with `errors` (none: it succeeded).
    public init(file: String, time: Double = Event.now(), errors: [String] = [], changes: [ReloadChange] = [], notes: [String] = []) {
        self.file = file
        self.time = time
        self.errors = errors
        self.changes = changes
        self.notes = notes
    }

    /// No error: the new config runs.
    public var succeeded: Bool { errors.isEmpty }

    /// `{"status","file","time","errors","changes":[{component,action,message?}],"notes"}`.
    public var fields: Fields {
        [
            "status": .string(succeeded ? "applied" : "failed"),
            "file": .string(file),
            "time": .double(time),
            "errors": .list(errors.map(Value.string)),
            "changes": .list(changes.map { change in
                var f: Fields = ["component": .string(change.component), "action": .string(change.action.rawValue)]
                if let message = change.message { f.append("message", .string(message)) }
                return .object(f)
            }),
            "notes": .list(notes.map(Value.string)),
        ]
    }
}

/// The config the daemon runs and how its loads went, as `/health` and `/metrics` report it
/// (the figures Prometheus gives about its own config).
public struct ConfigStatus: Sendable, Equatable {
    /// The file of the last good load (`<embedded default>` for the compiled-in one).
    public var file: String
    /// Unix seconds of the last load that succeeded (the start, until a reload succeeds).
    public var loadedAt: Double
    /// Whether the last load succeeded.
    public var lastSucceeded = true
    /// Unix seconds of the last reload attempt, if any.
    public var lastAttempt: Double?
    /// The errors of the last load, when it failed.
    public var errors: [String] = []
    /// Reloads tried and failed since the start.
    public var attempts = 0
    public var failures = 0

    /// The status after the first load of `file` at `loadedAt`.
    public init(file: String, loadedAt: Double) {
        self.file = file
        self.loadedAt = loadedAt
    }

    /// `{"file","last_reload_successful","last_success_timestamp","reloads","reload_failures","errors"?}`.
    public var fields: Fields {
        var f: Fields = [
            "file": .string(file),
            "last_reload_successful": .bool(lastSucceeded),
            "last_success_timestamp": .double(loadedAt),
            "reloads": .int(attempts),
            "reload_failures": .int(failures),
        ]
        if let lastAttempt { f.append("last_reload_timestamp", .double(lastAttempt)) }
        if !errors.isEmpty { f.append("errors", .list(errors.map(Value.string))) }
        return f
    }
}
