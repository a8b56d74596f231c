#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One thing that flows over the ``EventBus``: a periodic sample, a happening, or an alert.
public struct Event: Sendable, Hashable {
    /// What an event is; the log sink writes it as `event.kind`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A periodic sample produced by the scheduler from `Source.sample()`.
        case metric
        /// Something that happened (`cache.cleared`, `source.error`). A happening that reports a
        /// failure carries the reason in a string field `error`; sinks treat it as an error.
        case event
        /// An alert state transition.
        case alert
    }

    /// The id of the component that produced the event (the key in `monitord.yaml`).
    public var source: String
    /// A dotted name such as `cache.stats`, `cache.cleared`, `alert`.
    public var name: String
    public var kind: Kind
    /// When the event happened, in Unix seconds.
    public var time: Double
    public var fields: Fields

    public init(source: String, name: String, kind: Kind, time: Double = Event.now(), fields: Fields = Fields()) {
        self.source = source
        self.name = name
        self.kind = kind
        self.time = time
        self.fields = fields
    }

    /// The wall clock in Unix seconds, fractional.
    public static func now() -> Double {
        Date().timeIntervalSince1970
    }
}
