import MonitorKitCore

/// One metric sample of a source: its time and fields.
struct Sample: Sendable, Equatable {
    var time: Double
    var fields: Fields
}
