/// What the scheduler has seen of one source: the `internal` source reports it.
public struct SourceRunStats: Sendable, Equatable {
    public var samples = 0
    public var errors = 0
    /// Ticks skipped because the previous sample was still running.
    public var overruns = 0
    public var consecutiveFailures = 0
    public var lastDuration: Duration = .zero
    /// Unix seconds of the last successful sample.
    public var lastSuccess: Double?
    public var lastError: String?

    public init() {}
}
