/// What the scheduler has seen of one source: the `internal` source reports it.
public struct SourceRunStats: Sendable, Equatable {
    /// Samples taken successfully.
    public var samples = 0
    /// Samples that failed or timed out.
    public var errors = 0
    /// Ticks skipped because the previous sample was still running.
    public var overruns = 0
    /// Failures since the last success; the back-off grows with it.
    public var consecutiveFailures = 0
    /// How long the last sample took.
    public var lastDuration: Duration = .zero
    /// Unix seconds of the last successful sample.
    public var lastSuccess: Double?
    /// The error of the last failed sample.
    public var lastError: String?

    /// Nothing seen yet.
    public init() {}
}
