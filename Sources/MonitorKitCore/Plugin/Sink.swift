/// A component that consumes events from its own ``Subscription``.
///
/// ``run(events:)`` is called once; it consumes the subscription until the sequence ends, which
/// happens at graceful shutdown after every source has stopped and the queue has drained, and
/// then returns. A sink that also serves requests (the HTTP API) stops serving when it returns.
public protocol Sink: Sendable {
    /// The component id from `monitord.yaml`.
    var id: String { get }

    func run(events: Subscription) async throws

    /// Returns once the sink serves (the HTTP sink: listens), or throws if it stopped first. A
    /// reload that moves a sink to a new address waits for this before stopping the old one.
    /// The default returns at once.
    func ready() async throws
}

extension Sink {
    /// Ready as soon as it runs.
    public func ready() async throws {}
}
