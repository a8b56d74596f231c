import Hummingbird
import Logging
import MonitorKitCore

/// The routes of the API and what they read: the runtime (sources, stores, history, health),
/// the alerts seen on the sink's subscription, the live event streams and the metrics exporter.
struct APIRoutes: Sendable {
    let sinkID: String
    let config: HTTPSinkConfig
    let runtime: RuntimeContext
    let alerts: AlertBoard
    let streams: EventStreams
    let metrics: MetricsExporter
    /// The sink's `inputs`: event streams show only what the sink itself may see.
    let inputs: InputFilter
    /// Each event-stream client's queue: the size of the sink's own (`buffer.max_events`).
    let eventCapacity: Int
    let logger: Logger

    init(
        sinkID: String, config: HTTPSinkConfig, runtime: RuntimeContext, alerts: AlertBoard, streams: EventStreams,
        metrics: MetricsExporter, inputs: InputFilter, eventCapacity: Int, logger: Logger
    ) {
        self.sinkID = sinkID
        self.config = config
        self.runtime = runtime
        self.alerts = alerts
        self.streams = streams
        self.metrics = metrics
        self.inputs = inputs
        self.eventCapacity = eventCapacity
        self.logger = logger
    }

    func makeRouter() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        // Outermost first: every answer, a refusal included, is marked inert for browsers; a
        // request for a name the server is not known by gets nothing else; CORS marks error
        // answers too; errors become JSON before CORS sees them.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: HostPolicyMiddleware(policy: HostPolicy(host: config.host, allowedHosts: config.allowedHosts)))
        if !config.corsOrigins.isEmpty {
            router.add(middleware: OriginPolicyMiddleware(origins: config.corsOrigins))
        }
        router.add(middleware: ErrorMiddleware(logger: logger))
        if let token = config.authToken {
            router.add(middleware: AuthMiddleware(token: token, protectReads: config.protectReads, acceptsClientCertificate: config.auth == .either))
        }
        addStatusRoutes(to: router)
        addStatsRoutes(to: router)
        addEntryRoutes(to: router)
        addEventStreamRoute(to: router)
        addDocumentRoutes(to: router)
        addMetricsRoute(to: router)
        // Last: a middleware added after the routes runs only when no route answered.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }

    /// The source named by the `{source}` path parameter, or 404.
    func source(_ context: APIRequestContext) throws(APIError) -> SourceInfo {
        let id = context.parameters.get("source") ?? ""
        guard let info = runtime.sourceInfo(id) else {
            throw APIError.unknownSource(id, known: runtime.sources.map(\.id))
        }
        return info
    }

    /// Runs an action, telling a failing source (503) apart from a refused request.
    func invoke(_ info: SourceInfo, _ action: String, _ arguments: Fields = Fields()) async throws -> Fields {
        guard info.actions.contains(action) else {
            throw APIError.notFound(
                "unknown_action", "source \"\(info.id)\" (type \(info.type)) has no \(action) action")
        }
        do {
            return try await runtime.invoke(source: info.id, action: action, arguments: arguments)
        } catch let error as SourceActionError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch {
            throw APIError.unavailable("source \"\(info.id)\" failed to run \(action): \(error)")
        }
    }
}
