import MonitorKitCore

/// The pipeline's health, from `internal.stats` (or the bus itself when in-process).
struct PipelineState: Sendable, Equatable {
    struct Subscription: Sendable, Equatable {
        var id: String
        var received: Int
        var delivered: Int
        var dropped: Int
        var queued: Int
        var capacity: Int
        var whenFull: String
    }

    struct SourceRow: Sendable, Equatable {
        var id: String
        var state: String
        /// `nil` when only the state is known (in-process health without an `internal` source).
        var samples: Int?
        var errors: Int?
        var overruns: Int?
        var lastDuration: Double?
        var lastSuccess: Double?
    }

    var eventsPublished: Int?
    var uptimeSeconds: Double?
    /// When the subscription figures were taken (a bus poll or an `internal.stats` sample).
    var sampledAt: Double?
    /// When the source rows were taken.
    var sourcesAt: Double?
    var subscriptions: [Subscription] = []
    var sources: [SourceRow] = []

    init() {}

    /// From the fields of an `internal.stats` event.
    init(internalStats fields: Fields, time: Double) {
        eventsPublished = fields["events_published"]?.intValue
        uptimeSeconds = fields["uptime_seconds"]?.doubleValue
        sampledAt = time
        sourcesAt = time
        for (id, value) in fields["subscriptions"]?.objectValue ?? Fields() {
            guard let f = value.objectValue else { continue }
            subscriptions.append(Subscription(
                id: id, received: f["received"]?.intValue ?? 0, delivered: f["delivered"]?.intValue ?? 0,
                dropped: f["dropped"]?.intValue ?? 0, queued: f["queued"]?.intValue ?? 0,
                capacity: f["capacity"]?.intValue ?? 0, whenFull: f["when_full"]?.stringValue ?? ""))
        }
        for (id, value) in fields["sources"]?.objectValue ?? Fields() {
            guard let f = value.objectValue else { continue }
            sources.append(SourceRow(
                id: id, state: f["state"]?.stringValue ?? "?", samples: f["samples"]?.intValue,
                errors: f["errors"]?.intValue, overruns: f["overruns"]?.intValue,
                lastDuration: f["last_duration_seconds"]?.doubleValue, lastSuccess: f["last_success"]?.doubleValue))
        }
    }

    /// Folds in an `internal.stats` sample; older figures never replace newer ones (a bus poll
    /// every second is fresher than a sample every five).
    mutating func merge(internalStats figures: PipelineState) {
        if (sampledAt ?? -.infinity) <= (figures.sampledAt ?? -.infinity) {
            eventsPublished = figures.eventsPublished
            uptimeSeconds = figures.uptimeSeconds
            subscriptions = figures.subscriptions
            sampledAt = figures.sampledAt
        }
        if (sourcesAt ?? -.infinity) <= (figures.sourcesAt ?? -.infinity) {
            sources = figures.sources
            sourcesAt = figures.sourcesAt
        }
    }

    /// Folds in a poll of the in-process bus and health: subscriptions now, and source states
    /// (rows with figures from `internal.stats` keep them).
    mutating func merge(bus figures: PipelineState, sourceStates: [(id: String, state: String)], at time: Double) {
        eventsPublished = figures.eventsPublished ?? eventsPublished
        uptimeSeconds = figures.uptimeSeconds ?? uptimeSeconds
        subscriptions = figures.subscriptions
        sampledAt = time
        for (id, state) in sourceStates {
            if let index = sources.firstIndex(where: { $0.id == id }) {
                sources[index].state = state
            } else {
                sources.append(SourceRow(id: id, state: state, samples: nil, errors: nil, overruns: nil, lastDuration: nil, lastSuccess: nil))
            }
        }
    }

    /// Subscriptions that drop first, then the fullest queues, then by id: trouble on top.
    var subscriptionsByConcern: [Subscription] {
        subscriptions.sorted { a, b in
            if (a.dropped > 0) != (b.dropped > 0) { return a.dropped > 0 }
            let fa = a.capacity > 0 ? Double(a.queued) / Double(a.capacity) : 0
            let fb = b.capacity > 0 ? Double(b.queued) / Double(b.capacity) : 0
            if fa != fb { return fa > fb }
            return a.id < b.id
        }
    }
}
