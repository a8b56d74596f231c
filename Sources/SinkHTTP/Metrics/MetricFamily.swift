import Prometheus

/// One Prometheus metric family: name, kind and help, declared once so every registration of it
/// agrees (the registry refuses two helps or two kinds under one name).
struct MetricFamily: Sendable, Hashable {
    enum Kind: Sendable { case counter, gauge }

    let name: String
    let unit: String
    let kind: Kind
    let help: String

    /// The name without the prefix, suffixes included: two families may share a base name in
    /// different units (`system_filesystem_free` in bytes and as a ratio).
    var fullName: String { unit.isEmpty ? name : name + "_" + unit }

    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "monitord", metricName: name, unitName: unit, helpText: help)
    }
}

/// The families of the pipeline and the daemon, which `/metrics` exports besides those the
/// sources declare. Names follow Prometheus practice: a `monitord_` prefix, base units, `_total`
/// on counters.
enum MetricCatalog {
    // The pipeline; label `sink` is a bus subscription (a sink id, or `<sink>/sse` for live clients).
    static let busPublished = MetricFamily(
        name: "bus_events_published", unit: "total", kind: .counter, help: "Events published on the bus.")
    static let sinkReceived = MetricFamily(
        name: "sink_events_received", unit: "total", kind: .counter, help: "Events offered to a sink's queue.")
    static let sinkDelivered = MetricFamily(
        name: "sink_events_delivered", unit: "total", kind: .counter, help: "Events a sink took from its queue.")
    static let sinkDropped = MetricFamily(
        name: "sink_events_dropped", unit: "total", kind: .counter, help: "Events dropped because a sink's queue was full.")
    static let sinkQueued = MetricFamily(
        name: "sink_queue_events", unit: "", kind: .gauge, help: "Events waiting in a sink's queue now.")
    static let sinkCapacity = MetricFamily(
        name: "sink_queue_capacity_events", unit: "", kind: .gauge, help: "Size of a sink's queue (buffer.max_events).")
    static let eventStreamClients = MetricFamily(
        name: "http_event_stream_clients", unit: "", kind: .gauge, help: "Clients connected to /api/events now.")

    // Sources, from the scheduler through the `internal` source; label `source`.
    static let sourceSamples = MetricFamily(
        name: "source_samples", unit: "total", kind: .counter, help: "Samples taken by the scheduler.")
    static let sourceErrors = MetricFamily(
        name: "source_errors", unit: "total", kind: .counter, help: "Samples that failed.")
    static let sourceOverruns = MetricFamily(
        name: "source_overruns", unit: "total", kind: .counter, help: "Ticks skipped because the previous sample was still running.")
    static let sourceDuration = MetricFamily(
        name: "source_last_sample_duration", unit: "seconds", kind: .gauge, help: "How long the last sample took.")
    static let sourceLastSuccess = MetricFamily(
        name: "source_last_success_timestamp", unit: "seconds", kind: .gauge, help: "When the last sample succeeded (Unix time).")
    static let sourceUp = MetricFamily(
        name: "source_up", unit: "", kind: .gauge, help: "1 when the source's last sample succeeded, else 0.")

    // Alerts seen on the sink's subscription (from the alerts sink); labels `alertname`, `severity`.
    static let alertFiring = MetricFamily(
        name: "alert_firing", unit: "", kind: .gauge, help: "1 while a monitord alert fires, 0 once it is pending or resolved.")

    // The daemon.
    static let startTime = MetricFamily(
        name: "start_time", unit: "seconds", kind: .gauge, help: "When monitord started (Unix time).")
    static let buildInfo = MetricFamily(
        name: "build_info", unit: "", kind: .gauge, help: "Always 1; the version is a label.")
    static let configReloadSuccessful = MetricFamily(
        name: "config_last_reload_successful", unit: "", kind: .gauge,
        help: "1 when the last load of the config file succeeded, 0 when it failed (the old config runs on).")
    static let configReloadSuccessTime = MetricFamily(
        name: "config_last_reload_success_timestamp", unit: "seconds", kind: .gauge,
        help: "When the config was last loaded successfully (Unix time).")

    // An HTTPS sink's certificate; label `sink`.
    static let tlsCertificateExpiry = MetricFamily(
        name: "tls_certificate_expiry", unit: "seconds", kind: .gauge,
        help: "When the certificate the sink serves expires (Unix time); alert on it minus time().")
}
