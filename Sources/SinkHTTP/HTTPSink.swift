import Logging
import MonitorKitCore
import ServiceLifecycle
import Synchronization

/// The `http` sink: serves the API for as long as its subscription runs, and keeps from the
/// subscription what the API reports about events (the active alerts).
public final class HTTPSink: FileReadingSink {
    /// The component id from `monitord.yaml` (e.g. `api`).
    public let id: String
    let config: HTTPSinkConfig
    let runtime: RuntimeContext
    let logger: Logger
    let alerts = AlertBoard()
    let streams: EventStreams
    let metrics: MetricsExporter
    /// `max_connections`, lowered to fit under the open-file limit.
    let maxConnections: Int
    let limiter: ConnectionLimiter
    /// With `tls:`: the certificate new connections get, swapped by a reload.
    let tls: TLSTerminator?
    private let listening = Mutex<Int?>(nil)
    /// Who waits in ``ready()``, until the server listens or `run` ends first.
    private let readiness = Mutex<(waiters: [CheckedContinuation<Void, any Error>], outcome: Result<Void, NotServing>?)>(([], nil))

    init(id: String, config: HTTPSinkConfig, runtime: RuntimeContext, logger: Logger) throws {
        self.id = id
        self.config = config
        self.runtime = runtime
        self.logger = logger
        maxConnections = ConnectionCap.of(configured: config.maxConnections, openFiles: OpenFileLimit.current)
        limiter = ConnectionLimiter(limit: maxConnections, stallAllowance: config.stallAllowance)
        // A stream holds its connection for as long as it lasts and is never closed to make room:
        // at most half the connections may be streams, so the API and /health always get through.
        self.streams = EventStreams(sinkID: id, bus: runtime.bus, limit: min(config.maxEventStreams, max(1, maxConnections / 2)))
        let tls = try config.tls.map { try TLSTerminator(config: $0, auth: config.auth) }
        self.tls = tls
        self.metrics = MetricsExporter(runtime: runtime, streams: streams, alerts: alerts, tls: tls.map { (id, $0) })
    }

    /// The port the server is bound to, once it listens (the real one when `port: 0`).
    public var boundPort: Int? {
        listening.withLock { $0 }
    }

    /// Serves until `events` ends (graceful shutdown), then stops the server after its in-flight
    /// requests. Throws ``HTTPSinkError/cannotListen(host:port:reason:)`` when the address cannot
    /// be bound.
    public func run(events: Subscription) async throws {
        do {
            try await serve(events: events)
        } catch {
            settleReadiness(.failure(NotServing(description: "\(error)")))
            throw error
        }
        settleReadiness(.failure(NotServing(description: "stopped before it listened")))
    }

    /// Returns once the server listens; throws if `run` ended first (the address was in use).
    public func ready() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = readiness.withLock { state -> Result<Void, NotServing>? in
                if state.outcome == nil { state.waiters.append(continuation) }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
        }
    }

    private func settleReadiness(_ outcome: Result<Void, NotServing>) {
        let waiters = readiness.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: outcome.mapError { $0 as any Error }) }
    }

    private func serve(events: Subscription) async throws {
        let routes = APIRoutes(
            sinkID: id, config: config, runtime: runtime, alerts: alerts, streams: streams, metrics: metrics,
            inputs: events.inputs, eventCapacity: events.buffer.maxEvents, logger: logger)
        // The figure an operator needs when connections are refused: what was asked and what the limit allowed.
        let limitText = OpenFileLimit.current.map { "open-file limit \($0) less \(ConnectionCap.reserve) kept for the cache's files" } ?? "no open-file limit"
        logger.info("serving at most \(maxConnections) connections at once (max_connections \(config.maxConnections), \(limitText)) and \(streams.limit) event streams (max_event_streams \(config.maxEventStreams), at most half the connections)")
        let limits = APIServer.Limits(
            idleTimeout: config.idleTimeout, requestTimeout: config.requestTimeout, limiter: limiter)
        for warning in config.warnings { logger.warning("\(warning.path): \(warning.message)") }
        let edgeTLS = tls.map { terminator in
            APIServer.TLS(
                terminator: terminator, peers: config.auth == .either ? VerifiedPeers() : nil,
                everyClientVerified: terminator.clientCertificates == .required && config.auth == .clientCert)
        }
        if let tls, let settings = config.tls {
            let material = tls.material
            var clients = ""
            if let ca = settings.clientCAFile {
                clients = "; clients need a certificate signed by \(ca)" + (tls.clientCertificates == .optional ? " or the token" : "")
            }
            logger.info("serving TLS \(settings.minVersion.rawValue)+ with the certificate in \(settings.certFile) (serial \(material.serial), valid until \(TLSMaterial.utc(material.notAfter)))\(clients)")
        }
        let services = try APIServer.services(
            router: routes.makeRouter(), host: config.host, port: config.port, limits: limits, tls: edgeTLS, logger: logger,
            onListening: { port in self.didListen(port: port) })
        let server = ServiceGroup(configuration: .init(services: services, logger: logger))
        // Detached so a graceful shutdown of an enclosing service group does not stop the server
        // early: it serves until the subscription ends, as the Sink contract says.
        let serverTask = Task.detached { try await server.run() }
        try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    do {
                        try await serverTask.value
                    } catch {
                        throw self.startupError(error)
                    }
                    return .serverStopped
                }
                group.addTask {
                    for await event in events { self.alerts.record(event) }
                    return .eventsEnded
                }
                while let outcome = try await group.next() {
                    guard outcome == .eventsEnded else { continue }
                    // Open event streams would keep the server from finishing its in-flight requests.
                    streams.closeAll()
                    await server.triggerGracefulShutdown()
                }
            }
        } onCancel: {
            serverTask.cancel()
        }
        streams.closeAll()
    }

    private func didListen(port: Int) {
        listening.withLock { $0 = port }
        logger.info("listening on \(config.scheme)://\(config.host):\(port)")
        settleReadiness(.success(()))
    }

    private enum Outcome { case serverStopped, eventsEnded }

    /// A reload read the certificate and key files again: new connections get what they hold
    /// now, open connections keep theirs. A pair that cannot be served keeps the old one.
    public func reread(_ config: any SinkConfig) async -> FileReread {
        guard let tls, let nextConfig = config as? HTTPSinkConfig, let next = nextConfig.tls else { return .unchanged }
        let current = tls.material
        guard current.chain != next.material.chain || current.key != next.material.key || current.clientCAs != next.material.clientCAs else {
            return .unchanged
        }
        do {
            try tls.replace(with: next.material)
        } catch {
            logger.error("kept the certificate with serial \(current.serial): the new files cannot be served (\(error))")
            return .failed("the new certificate and key cannot be served (\(error)); the previous certificate (serial \(current.serial)) is served still")
        }
        for warning in nextConfig.warnings { logger.warning("\(warning.path): \(warning.message)") }
        var message = "certificate serial \(current.serial) -> \(next.material.serial), valid until \(TLSMaterial.utc(next.material.notAfter)); connections already open keep the old one"
        if current.clientCAs != next.material.clientCAs {
            // A CA taken out of client_ca_file is a revocation: no connection it let in may go on.
            limiter.closeAll()
            message = "client_ca_file changed: open connections were closed (one answering a request closes after it) and new ones are checked against the new CA; " + message
        }
        logger.notice("new connections get the certificate from \(next.certFile): \(message)")
        return .updated(message)
    }

    /// Why ``ready()`` gave up: the server stopped before it listened.
    struct NotServing: Error, CustomStringConvertible {
        var description: String
    }

    /// A failure before the server listened is a startup failure: one line naming the address.
    private func startupError(_ error: any Error) -> any Error {
        guard boundPort == nil else { return error }
        return HTTPSinkError.cannotListen(host: config.host, port: config.port, reason: HTTPSinkError.reason(error))
    }
}
