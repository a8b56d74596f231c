import MonitorKitCore
import Prometheus
import Synchronization

/// `/metrics`: reads every source's live figures and the bus counters on each scrape, and
/// exports them through swift-prometheus in text format 0.0.4. A source's families are the ones
/// its metric descriptors declare.
///
/// Counters come from readings that only grow (a descriptor's never-reset `reading`, the bus and
/// scheduler counters), so they stay monotonic when the API resets a source's stats. A reading
/// that does go down (a source without lifetime fields was reset) counts as a counter reset: the
/// new reading is added on top.
final class MetricsExporter: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let runtime: RuntimeContext
    private let streams: EventStreams
    /// The alerts seen on the sink's subscription, for `monitord_alert_firing`.
    private let alerts: AlertBoard?
    private let book = Mutex(Book())
    /// The sink's TLS, for `monitord_tls_certificate_expiry_seconds`.
    private let tls: (sink: String, terminator: TLSTerminator)?

    /// A reading of one series. `identity` says whose counter it is for delta tracking; several
    /// identities may feed one series (every live-event client feeds `<sink>/sse`).
    struct Reading {
        var family: MetricFamily
        var labels: [(String, String)]
        var value: Double
        var identity: String
        /// Identities that come and go (one per event-stream client) are forgotten when gone.
        var ephemeral = false
    }

    private struct Book: ~Copyable {
        var counters: [String: Counter] = [:]
        var gauges: [String: Gauge] = [:]
        var lastReading: [String: Double] = [:]
        var ephemeral: Set<String> = []
        /// Label sets of every alert seen, by name and severity.
        var alertsSeen: [String: [(String, String)]] = [:]
    }

    init(runtime: RuntimeContext, streams: EventStreams, alerts: AlertBoard? = nil, tls: (sink: String, terminator: TLSTerminator)? = nil) {
        self.runtime = runtime
        self.streams = streams
        self.alerts = alerts
        self.tls = tls
    }

    /// The exposition text of every family, values read now.
    func scrape() async -> [UInt8] {
        render(await collect())
    }

    /// Reads every figure now.
    func collect() async -> [Reading] {
        var readings = PipelineReadings.bus(runtime.bus, clients: streams.count)
        readings += PipelineReadings.daemon(runtime)
        var sourcesSeen = false
        for info in runtime.sources {
            // Live figures where the source answers `stats` (O(1) in the cache), else its newest sample.
            var figures: Fields?
            if info.actions.contains("stats") {
                figures = try? await runtime.invoke(source: info.id, action: "stats")
            } else if !info.metrics.isEmpty {
                figures = runtime.history.latest(source: info.id)?.fields
            }
            guard let figures else { continue }
            readings += SourceReadings.readings(source: info.id, metrics: info.metrics, figures: figures)
            if let sources = figures["sources"]?.objectValue, !sourcesSeen {
                sourcesSeen = true
                readings += PipelineReadings.sources(sources)
            }
        }
        if !sourcesSeen {
            readings += PipelineReadings.health(runtime.components)
        }
        if let alerts { readings += alertReadings(alerts.alerts) }
        if let tls {
            readings.append(Reading(
                family: MetricCatalog.tlsCertificateExpiry, labels: [("sink", tls.sink)],
                value: Double(tls.terminator.material.notAfter), identity: "tls/\(tls.sink)"))
        }
        return readings
    }

    /// Moves every series to its reading and renders the registry.
    func render(_ readings: [Reading]) -> [UInt8] {
        apply(readings)
        return registry.emitToBuffer()
    }

    private func apply(_ readings: [Reading]) {
        book.withLock { book in
            var seenEphemeral: Set<String> = []
            for reading in readings {
                let key = Self.key(reading.family, reading.labels)
                switch reading.family.kind {
                case .gauge:
                    let gauge = book.gauges[key] ?? registry.makeGauge(descriptor: reading.family.descriptor, labels: reading.labels)
                    book.gauges[key] = gauge
                    gauge.set(reading.value)
                case .counter:
                    let counter =
                        book.counters[key] ?? registry.makeCounter(descriptor: reading.family.descriptor, labels: reading.labels)
                    book.counters[key] = counter
                    let identity = reading.family.fullName + "|" + reading.identity
                    let now = max(0, reading.value)
                    let last = book.lastReading[identity] ?? 0
                    // Going down means the reading restarted from zero: all of it is new.
                    let delta = now >= last ? now - last : now
                    // Whole counts stay integers in the exposition; CPU seconds and the like do not.
                    if delta.rounded() == delta, delta < 9.0e18 {
                        counter.increment(by: Int64(delta))
                    } else {
                        counter.increment(by: delta)
                    }
                    book.lastReading[identity] = now
                    if reading.ephemeral { seenEphemeral.insert(identity) }
                }
            }
            for gone in book.ephemeral.subtracting(seenEphemeral) {
                book.lastReading.removeValue(forKey: gone)
            }
            book.ephemeral = seenEphemeral
        }
    }

    /// 1 for each alert firing now, 0 for one seen before that is pending or gone: a series,
    /// once seen, stays, so a dashboard shows an alert resolving rather than vanishing.
    private func alertReadings(_ active: [Fields]) -> [Reading] {
        var firing: [String: (labels: [(String, String)], value: Double)] = [:]
        for fields in active {
            guard let notice = AlertNotice(fields: fields), !notice.alertname.isEmpty else { continue }
            let labels = [("alertname", notice.alertname), ("severity", notice.severity)]
            firing[notice.alertname + "|" + notice.severity] = (labels, notice.state == .firing ? 1 : 0)
        }
        let seen = book.withLock { book in
            for key in firing.keys { book.alertsSeen[key] = firing[key]!.labels }
            return book.alertsSeen
        }
        return seen.map { key, labels in
            Reading(family: MetricCatalog.alertFiring, labels: labels, value: firing[key]?.value ?? 0, identity: key)
        }
    }

    private static func key(_ family: MetricFamily, _ labels: [(String, String)]) -> String {
        var key = family.fullName
        for (name, value) in labels {
            key += "|" + name + "=" + value
        }
        return key
    }
}
