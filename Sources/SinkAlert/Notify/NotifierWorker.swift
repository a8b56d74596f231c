import AsyncHTTPClient
import NIOSSL
import Logging
import MonitorKitCore
import Synchronization

/// Delivers one notifier's notices from a queue of its own, so a slow or failing receiver never
/// holds up rule evaluation or the bus: the queue is bounded (oldest dropped, counted), each POST
/// has a timeout, and failures are retried with exponential backoff, then logged and counted.
final class NotifierWorker: Sendable {
    let config: NotifierConfig
    let externalURL: String?
    /// `ca_file`, `cert_file`, `key_file`, read once when the worker is made.
    let tls: TLSConfiguration?
    /// Notices waiting before the oldest is dropped.
    static let queueLimit = 1000
    private let stream: AsyncStream<NotifierMessage>
    private let continuation: AsyncStream<NotifierMessage>.Continuation
    private let counters = Mutex(NotifierStats())

    init(config: NotifierConfig, externalURL: String?) {
        self.config = config
        self.externalURL = externalURL
        tls = NotifierTLS.configuration(config)
        (stream, continuation) = AsyncStream.makeStream(of: NotifierMessage.self, bufferingPolicy: .bufferingNewest(Self.queueLimit))
    }

    var stats: NotifierStats { counters.withLock { $0 } }

    /// Queues a notice without waiting.
    func enqueue(_ notice: NotifierMessage) {
        let result = continuation.yield(notice)
        counters.withLock { c in
            switch result {
            case .enqueued: c.queued += 1
            case .dropped: c.dropped += 1
            case .terminated: c.dropped += 1
            @unknown default: break
            }
        }
    }

    /// No more notices; ``run(client:logger:clock:onFailure:)`` returns once the queue is empty.
    func finish() { continuation.finish() }

    /// Sends queued notices in order until ``finish()`` and an empty queue, or cancellation.
    func run(client: HTTPClient, logger: Logger, clock: any Clock<Duration>, onFailure: @Sendable (NotifierMessage, String, Int) async -> Void) async {
        for await notice in stream {
            counters.withLock { $0.queued -= 1 }
            if Task.isCancelled { break }
            let body = payload(notice)
            var attempt = 0
            var delay = config.backoff
            while true {
                attempt += 1
                let outcome = await post(body, client: client)
                if case .delivered = outcome {
                    counters.withLock { $0.sent += 1 }
                    logger.debug("alert \(notice.alertname) \(notice.status.rawValue) sent to \(config.name)")
                    break
                }
                let reason = outcome.reason
                if outcome.isRetryable, attempt <= config.retries, !Task.isCancelled {
                    counters.withLock { $0.retries += 1 }
                    logger.warning("notifier \(config.name): \(reason); retry \(attempt) of \(config.retries) in \(delay)")
                    do { try await clock.sleep(for: delay) } catch { break }
                    delay = min(delay * 2, .seconds(60))
                    continue
                }
                counters.withLock { $0.failed += 1 }
                logger.error("notifier \(config.name) gave up on alert \(notice.alertname) after \(attempt) attempt(s): \(reason)")
                await onFailure(notice, reason, attempt)
                break
            }
        }
    }

    enum Outcome {
        case delivered(status: Int)
        case rejected(status: Int)
        case unreachable(String)

        var isRetryable: Bool {
            switch self {
            case .delivered: false
            // A 4xx other than 408/429 says the payload is wrong: sending it again will not help.
            case .rejected(let status): status >= 500 || status == 408 || status == 429
            case .unreachable: true
            }
        }

        var reason: String {
            switch self {
            case .delivered(let status): "HTTP \(status)"
            case .rejected(let status): "HTTP status \(status)"
            case .unreachable(let message): message
            }
        }
    }

    /// The body this notifier's receiver expects.
    func payload(_ notice: NotifierMessage) -> [UInt8] {
        switch config.kind {
        case .webhook: NotificationPayload.webhook(notice, receiver: config.name, externalURL: externalURL)
        case .alertmanager: NotificationPayload.alertmanager(notice, externalURL: externalURL)
        }
    }

    /// The client every notifier posts through: a connection that cannot be made fails the
    /// attempt at once (the notifier's own `retries` and `backoff` decide what comes next),
    /// rather than being retried inside the client until its connect timeout.
    static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// One POST of `body`, with the notifier's headers and timeout, no retry.
    func post(_ body: [UInt8], client: HTTPClient) async -> Outcome {
        var request = HTTPClientRequest(url: config.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "monitord/\(MonitorKit.version)")
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) { request.headers.add(name: name, value: value) }
        request.body = .bytes(body)
        request.tlsConfiguration = tls
        let millis = max(1, Int64(config.timeout.seconds * 1000))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(millis))
            // Drain the body so the connection can be reused; its content does not matter.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? .delivered(status: status) : .rejected(status: status)
        } catch {
            return .unreachable(NotifierTLS.describe(error, https: config.url.hasPrefix("https://")))
        }
    }
}
