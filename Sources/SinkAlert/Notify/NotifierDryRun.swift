import AsyncHTTPClient
import MonitorKitCore

/// `monitord alerts test`: one clearly marked synthetic alert through every notifier of an
/// alerts sink, once each with no retry, so an operator sees the paging path work (or not)
/// before an incident does.
public enum NotifierDryRun {
    /// What one notifier did with the test alert.
    public struct Result: Sendable {
        /// The notifier's name.
        public var notifier: String
        /// `webhook` or `alertmanager`.
        public var kind: String
        /// Where the alert was sent.
        public var endpoint: String
        /// Delivered: the receiver answered 2xx.
        public var delivered: Bool
        /// `HTTP 200`, `HTTP status 500`, or why the receiver could not be reached.
        public var outcome: String
        /// How long the delivery took.
        public var milliseconds: Double
    }

    /// The alert's name; its labels also carry `monitord_test="true"`.
    public static let alertname = "MonitordTestAlert"

    /// Sends the test alert through each notifier of `config` in turn.
    public static func run(sinkID: String, config: AlertSinkConfig, now: Double = Event.now()) async -> [Result] {
        guard !config.notifiers.isEmpty else { return [] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: NotifierWorker.clientConfiguration)
        var results: [Result] = []
        for notifier in config.notifiers {
            let worker = NotifierWorker(config: notifier, externalURL: config.externalURL)
            let started = ContinuousClock.now
            let outcome = await worker.post(worker.payload(message(sinkID: sinkID, now: now)), client: client)
            let elapsed = ContinuousClock.now - started
            var delivered = false
            if case .delivered = outcome { delivered = true }
            results.append(Result(
                notifier: notifier.name, kind: notifier.kind.rawValue, endpoint: notifier.endpoint, delivered: delivered,
                outcome: outcome.reason, milliseconds: elapsed.seconds * 1000))
        }
        try? await client.shutdown()
        return results
    }

    /// A firing test alert that ends by itself after five minutes.
    static func message(sinkID: String, now: Double) -> NotifierMessage {
        let labels = [
            AlertTransition.Label(name: "alertname", value: alertname), AlertTransition.Label(name: "severity", value: "info"),
            AlertTransition.Label(name: "monitord_test", value: "true"),
        ]
        return NotifierMessage(
            alertname: alertname, status: .firing, labels: labels,
            annotations: [AlertTransition.Label(
                name: "summary", value: "Test alert from `monitord alerts test` (sink \(sinkID)): this is not an incident")],
            startsAt: now, endsAt: now + 300, fingerprint: Fingerprint.of(labels.map { ($0.name, $0.value) }))
    }
}
