import Logging

/// What a source config gets when it builds its source.
public struct SourceBuildContext: Sendable {
    /// The component id from `monitord.yaml`.
    public var id: String
    /// The source's logger, labelled with its id.
    public var logger: Logger
    /// Publishes events as this source.
    public var emitter: Emitter
    /// Where the source reports a fault found while serving; the runtime shows it in health.
    public var condition = SourceCondition()
    /// The daemon's own figures, for the `internal` source; `nil` outside a runtime.
    var pipeline: Pipeline?
    /// The data directories of the daemon's sources (the `system` source watches them).
    public var directories: [SourceDirectory]

    /// The context of the source `id`; `directories` are the data directories of the daemon's sources.
    public init(id: String, logger: Logger, emitter: Emitter, directories: [SourceDirectory] = []) {
        self.id = id
        self.logger = logger
        self.emitter = emitter
        self.directories = directories
    }
}

/// What a sink config gets when it builds its sink.
public struct SinkBuildContext: Sendable {
    /// The component id from `monitord.yaml`.
    public var id: String
    /// The sink's logger, labelled with its id.
    public var logger: Logger
    /// Publishes events as this sink (the alert sink's `alert` events).
    public var emitter: Emitter
    /// Sources, actions, stores, history, health and bus figures of the running daemon.
    public var runtime: RuntimeContext

    /// The context of the sink `id` in `runtime`.
    public init(id: String, logger: Logger, emitter: Emitter, runtime: RuntimeContext) {
        self.id = id
        self.logger = logger
        self.emitter = emitter
        self.runtime = runtime
    }
}
