import MonitorKitCore

/// `type: http`: the REST API, the cache data plane, Prometheus `/metrics`, live events over
/// Server-Sent Events and the web dashboard, served by Hummingbird.
///
/// ```yaml
/// sinks:
///   api:
///     type: http
///     host: 127.0.0.1
///     port: 8000
///     auth_token: ${MONITORD_API_TOKEN}
/// ```
public struct HTTPSinkConfig: SinkConfig {
    public static let type = "http"

    /// The address to bind; loopback unless the operator opens it up.
    public var host: String
    /// The TCP port; `0` picks a free one (tests).
    public var port: Int
    /// When set, every mutating route needs `Authorization: Bearer <token>`.
    public var authToken: String?
    /// With `auth_token`, reads need the token too (except `/health`, the dashboard page and `/openapi.yaml`).
    public var protectReads: Bool
    /// The largest request body accepted, in bytes; larger ones get 413.
    public var maxBodySize: Int
    /// Origins allowed to call the API from a browser (`*` for any).
    public var corsOrigins: [String]
    /// Serve the web dashboard at `/`.
    public var dashboard: Bool
    /// How often an idle `/api/events` stream gets a heartbeat comment.
    public var eventsHeartbeat: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8000, authToken: String? = nil, protectReads: Bool = false,
        maxBodySize: Int = 64 << 20, corsOrigins: [String] = [], dashboard: Bool = true,
        eventsHeartbeat: Duration = .seconds(15)
    ) {
        self.host = host
        self.port = port
        self.authToken = authToken.flatMap { $0.isEmpty ? nil : $0 }
        self.protectReads = protectReads
        self.maxBodySize = maxBodySize
        self.corsOrigins = corsOrigins
        self.dashboard = dashboard
        self.eventsHeartbeat = eventsHeartbeat
    }

    enum CodingKeys: String, CodingKey {
        case host, port, dashboard
        case authToken = "auth_token"
        case protectReads = "protect_reads"
        case maxBodySize = "max_body_size"
        case corsOrigins = "cors_origins"
        case eventsHeartbeat = "events_heartbeat"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        guard !host.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .host, in: c, debugDescription: "host is empty; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)")
        }
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 8000
        guard (0...65535).contains(port) else {
            throw DecodingError.dataCorruptedError(
                forKey: .port, in: c, debugDescription: "port must be between 1 and 65535 (0 picks a free port), found \(port)")
        }
        // An empty token (`${MONITORD_API_TOKEN:-}` with the variable unset) means no token.
        authToken = try c.decodeIfPresent(String.self, forKey: .authToken).flatMap { $0.isEmpty ? nil : $0 }
        protectReads = try c.decodeIfPresent(Bool.self, forKey: .protectReads) ?? false
        if protectReads, authToken == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .protectReads, in: c, debugDescription: "protect_reads needs auth_token; set auth_token or remove protect_reads")
        }
        maxBodySize = Int(clamping: try c.decodeIfPresent(ByteSize.self, forKey: .maxBodySize)?.bytes ?? 64 << 20)
        guard maxBodySize >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxBodySize, in: c, debugDescription: "max_body_size must be at least 1 byte, found \(maxBodySize)")
        }
        corsOrigins = try c.decodeIfPresent([String].self, forKey: .corsOrigins) ?? []
        for origin in corsOrigins where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw DecodingError.dataCorruptedError(
                forKey: .corsOrigins, in: c,
                debugDescription: "cors_origins entry \"\(origin)\" is not an origin; write it as https://host[:port], or \"*\" for any")
        }
        dashboard = try c.decodeIfPresent(Bool.self, forKey: .dashboard) ?? true
        eventsHeartbeat = try c.decodeIfPresent(Duration.self, forKey: .eventsHeartbeat) ?? .seconds(15)
        guard eventsHeartbeat > .zero else {
            throw DecodingError.dataCorruptedError(
                forKey: .eventsHeartbeat, in: c, debugDescription: "events_heartbeat must be longer than 0s, e.g. 15s")
        }
    }

    /// Port 0 (any free port) never conflicts with another sink.
    public var listenAddress: (host: String, port: Int)? {
        port == 0 ? nil : (host, port)
    }

    public func build(context: SinkBuildContext) async throws -> any Sink {
        HTTPSink(id: context.id, config: self, runtime: context.runtime, logger: context.logger)
    }
}
