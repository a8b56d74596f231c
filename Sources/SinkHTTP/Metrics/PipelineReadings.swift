import MonitorKitCore

/// Readings of the pipeline itself: the bus, its subscriptions, the scheduler's sources and the daemon.
enum PipelineReadings {
    typealias Reading = MetricsExporter.Reading

    /// Bus counters, read live. Every live-event client (`<sink>/sse-N`) is summed into `<sink>/sse`
    /// so clients coming and going do not grow the number of series.
    static func bus(_ bus: EventBus, clients: Int) -> [Reading] {
        var out = [Reading(family: MetricCatalog.busPublished, labels: [], value: Double(bus.publishedCount), identity: "")]
        var queued: [String: (queued: Int, capacity: Int)] = [:]
        var order: [String] = []
        for s in bus.stats {
            let (sink, ephemeral) = seriesName(of: s.id)
            let labels = [("sink", sink)]
            out.append(Reading(family: MetricCatalog.sinkReceived, labels: labels, value: Double(s.received), identity: s.id, ephemeral: ephemeral))
            out.append(Reading(family: MetricCatalog.sinkDelivered, labels: labels, value: Double(s.delivered), identity: s.id, ephemeral: ephemeral))
            out.append(Reading(family: MetricCatalog.sinkDropped, labels: labels, value: Double(s.dropped), identity: s.id, ephemeral: ephemeral))
            if queued[sink] == nil { order.append(sink) }
            let previous = queued[sink] ?? (0, 0)
            queued[sink] = (previous.queued + s.queued, previous.capacity + s.capacity)
        }
        for sink in order {
            guard let figures = queued[sink] else { continue }
            out.append(Reading(family: MetricCatalog.sinkQueued, labels: [("sink", sink)], value: Double(figures.queued), identity: sink))
            out.append(Reading(family: MetricCatalog.sinkCapacity, labels: [("sink", sink)], value: Double(figures.capacity), identity: sink))
        }
        out.append(Reading(family: MetricCatalog.eventStreamClients, labels: [], value: Double(clients), identity: ""))
        return out
    }

    /// The scheduler's figures per source, from the `internal` source's `sources` object.
    static func sources(_ sources: Fields) -> [Reading] {
        var out: [Reading] = []
        for (id, value) in sources {
            guard let figures = value.objectValue else { continue }
            let labels = [("source", id)]
            func add(_ family: MetricFamily, _ field: String) {
                guard let number = figures[field]?.doubleValue else { return }
                out.append(Reading(family: family, labels: labels, value: number, identity: id))
            }
            add(MetricCatalog.sourceSamples, "samples")
            add(MetricCatalog.sourceErrors, "errors")
            add(MetricCatalog.sourceOverruns, "overruns")
            add(MetricCatalog.sourceDuration, "last_duration_seconds")
            add(MetricCatalog.sourceLastSuccess, "last_success")
            let up: Double = figures["state"]?.stringValue == HealthState.ok.rawValue ? 1 : 0
            out.append(Reading(family: MetricCatalog.sourceUp, labels: labels, value: up, identity: id))
        }
        return out
    }

    /// `source_up` from health alone, when no `internal` source is configured.
    static func health(_ components: [ComponentStatus]) -> [Reading] {
        components.filter { $0.role == .source }.map { component in
            Reading(
                family: MetricCatalog.sourceUp, labels: [("source", component.id)],
                value: component.state == .ok ? 1 : 0, identity: component.id)
        }
    }

    static func daemon(_ runtime: RuntimeContext) -> [Reading] {
        let config = runtime.configStatus
        return [
            Reading(family: MetricCatalog.startTime, labels: [], value: runtime.startTime, identity: ""),
            Reading(family: MetricCatalog.buildInfo, labels: [("version", runtime.version)], value: 1, identity: ""),
            Reading(family: MetricCatalog.configReloadSuccessful, labels: [], value: config.lastSucceeded ? 1 : 0, identity: ""),
            Reading(family: MetricCatalog.configReloadSuccessTime, labels: [], value: config.loadedAt, identity: ""),
        ]
    }

    /// `api/sse-12` → (`api/sse`, ephemeral); any other subscription id is its own series.
    static func seriesName(of subscription: String) -> (String, Bool) {
        guard let dash = subscription.lastIndex(of: "-"), subscription[..<dash].hasSuffix("/sse"),
            !subscription[subscription.index(after: dash)...].isEmpty,
            subscription[subscription.index(after: dash)...].allSatisfy(\.isNumber)
        else { return (subscription, false) }
        return (String(subscription[..<dash]), true)
    }
}
