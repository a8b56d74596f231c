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
    /// The `type:` value that selects this sink.
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
    /// Host names (glob patterns, lowercase) served besides loopback names, IP literals and `host`.
    public var allowedHosts: [String]
    /// Lets a non-loopback `host` run without `auth_token`, for an operator whose network protects it.
    public var allowUnauthenticated: Bool
    /// A keep-alive connection with no request in progress is closed after this long.
    public var idleTimeout: Duration
    /// A request's head and body must arrive within this long of its first byte.
    public var requestTimeout: Duration
    /// The most connections served at once (lowered at start to fit the open-file limit).
    public var maxConnections: Int
    /// The most `/api/events` clients at once; more get 503.
    public var maxEventStreams: Int
    /// HTTPS, and with `client_ca_file` mutual TLS; `nil` serves plain HTTP.
    public var tls: HTTPTLSConfig?
    /// What authorizes the routes that need credentials.
    public var auth: HTTPAuthMode
    /// How long a request body may pause before its connection may be closed to make room for a
    /// new one when every slot is taken. Not a config key: every real client's body beats a second;
    /// tests lengthen it to hold a connection mid-request.
    var stallAllowance: Duration = .seconds(1)

    /// A config with every key given in code; the defaults are the documented ones.
    public init(
        host: String = "127.0.0.1", port: Int = 8000, authToken: String? = nil, protectReads: Bool = false,
        maxBodySize: Int = 64 << 20, corsOrigins: [String] = [], dashboard: Bool = true,
        eventsHeartbeat: Duration = .seconds(15), allowedHosts: [String] = [], allowUnauthenticated: Bool = false,
        idleTimeout: Duration = .seconds(60), requestTimeout: Duration = .seconds(30), maxConnections: Int = 4096,
        maxEventStreams: Int = 256, tls: HTTPTLSConfig? = nil, auth: HTTPAuthMode = .token
    ) {
        self.host = host
        self.port = port
        self.authToken = authToken.flatMap { $0.isEmpty ? nil : $0 }
        self.protectReads = protectReads
        self.maxBodySize = maxBodySize
        self.corsOrigins = corsOrigins
        self.dashboard = dashboard
        self.eventsHeartbeat = eventsHeartbeat
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.allowUnauthenticated = allowUnauthenticated
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
        self.maxEventStreams = maxEventStreams
        self.tls = tls
        self.auth = auth
    }

    enum CodingKeys: String, CodingKey {
        case host, port, dashboard
        case authToken = "auth_token"
        case protectReads = "protect_reads"
        case maxBodySize = "max_body_size"
        case corsOrigins = "cors_origins"
        case eventsHeartbeat = "events_heartbeat"
        case allowedHosts = "allowed_hosts"
        case allowUnauthenticated = "allow_unauthenticated"
        case idleTimeout = "idle_timeout"
        case requestTimeout = "request_timeout"
        case maxConnections = "max_connections"
        case maxEventStreams = "max_event_streams"
        case tls, auth
    }

    // The documented ranges (docs/http-api.md); a value outside is a config error at its line.
    static let portRange = 0...65535
    static let maxBodySizeRange = ByteSize(bytes: 1)...ByteSize(bytes: 4 << 30)
    static let eventsHeartbeatRange = Duration.milliseconds(10)...Duration.seconds(3600)
    static let idleTimeoutRange = Duration.milliseconds(100)...Duration.seconds(86400)
    static let requestTimeoutRange = Duration.milliseconds(100)...Duration.seconds(3600)
    static let maxConnectionsRange = 1...1_048_576
    static let maxEventStreamsRange = 1...65536

    /// Decodes the sink's keys from its config section, each checked against its range.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        guard !host.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .host, in: c, debugDescription: "host is empty; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)")
        }
        // `[::1]` as a URL writes it; the bind takes the address alone.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if case .failed(let reason) = BindAddress.resolve(host) {
            throw DecodingError.dataCorruptedError(
                forKey: .host, in: c,
                debugDescription: "host \"\(host)\" is not an address this machine can bind (\(reason)); "
                    + "use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or a name in /etc/hosts")
        }
        port = try c.decodeIfPresent(Int.self, forKey: .port, in: Self.portRange) ?? 8000
        // An empty token (`${MONITORD_API_TOKEN:-}` with the variable unset) means no token.
        authToken = try c.decodeIfPresent(String.self, forKey: .authToken).flatMap { $0.isEmpty ? nil : $0 }
        if let authToken, authToken.contains(where: { $0.isWhitespace || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }) {
            // Header values lose leading and trailing spaces on the way, and a token of spaces would
            // turn protected mode off in name only.
            throw DecodingError.dataCorruptedError(
                forKey: .authToken, in: c, debugDescription: "auth_token contains spaces or control characters, which a client cannot send in an Authorization header; use a random token, e.g. from openssl rand -hex 32")
        }
        protectReads = try c.decodeIfPresent(Bool.self, forKey: .protectReads) ?? false
        if c.contains(.tls), try c.decodeNil(forKey: .tls) {
            // `tls:` with its keys commented out would otherwise serve plain HTTP without a word.
            throw DecodingError.dataCorruptedError(
                forKey: .tls, in: c,
                debugDescription: "tls: is empty, which would serve plain HTTP; give cert_file and key_file under it, or remove tls:")
        }
        tls = try c.decodeIfPresent(HTTPTLSConfig.self, forKey: .tls)
        let authName = try c.decodeIfPresent(String.self, forKey: .auth) ?? "token"
        guard let auth = HTTPAuthMode(rawValue: authName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .auth, in: c,
                debugDescription: "auth \"\(authName)\" is not one of token, client_cert, either")
        }
        self.auth = auth
        if auth != .token, tls?.clientCAFile == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .auth, in: c,
                debugDescription: "auth: \(auth.rawValue) needs tls.client_ca_file (the CA that signs the clients' certificates) under tls: with cert_file and key_file")
        }
        if auth == .clientCert, authToken != nil {
            throw DecodingError.dataCorruptedError(
                forKey: .auth, in: c,
                debugDescription: "auth: client_cert does not use auth_token (every client is known by its certificate); use auth: either to accept a certificate or the token, or remove auth_token")
        }
        if auth == .either, authToken == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .auth, in: c,
                debugDescription: "auth: either lets clients without a certificate in with auth_token, which is not set; set auth_token, or use auth: client_cert")
        }
        if protectReads, auth == .clientCert {
            throw DecodingError.dataCorruptedError(
                forKey: .protectReads, in: c,
                debugDescription: "with auth: client_cert every connection presents a certificate, so reads are protected already; remove protect_reads")
        }
        if protectReads, authToken == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .protectReads, in: c, debugDescription: "protect_reads needs auth_token; set auth_token or remove protect_reads")
        }
        maxBodySize = Int(try c.decodeIfPresent(ByteSize.self, forKey: .maxBodySize, in: Self.maxBodySizeRange)?.bytes ?? 64 << 20)
        corsOrigins = try c.decodeIfPresent([String].self, forKey: .corsOrigins) ?? []
        for origin in corsOrigins where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw DecodingError.dataCorruptedError(
                forKey: .corsOrigins, in: c,
                debugDescription: "cors_origins entry \"\(origin)\" is not an origin; write it as https://host[:port], or \"*\" for any")
        }
        dashboard = try c.decodeIfPresent(Bool.self, forKey: .dashboard) ?? true
        eventsHeartbeat = try c.decodeIfPresent(Duration.self, forKey: .eventsHeartbeat, in: Self.eventsHeartbeatRange) ?? .seconds(15)
        allowedHosts = try c.decodeIfPresent([String].self, forKey: .allowedHosts)?.map { $0.lowercased() } ?? []
        for pattern in allowedHosts {
            if let problem = HostPolicy.problem(withPattern: pattern) {
                throw DecodingError.dataCorruptedError(forKey: .allowedHosts, in: c, debugDescription: problem)
            }
        }
        allowUnauthenticated = try c.decodeIfPresent(Bool.self, forKey: .allowUnauthenticated) ?? false
        idleTimeout = try c.decodeIfPresent(Duration.self, forKey: .idleTimeout, in: Self.idleTimeoutRange) ?? .seconds(60)
        requestTimeout = try c.decodeIfPresent(Duration.self, forKey: .requestTimeout, in: Self.requestTimeoutRange) ?? .seconds(30)
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections, in: Self.maxConnectionsRange) ?? 4096
        // Unset, it follows a small max_connections down (half of it); set, it must fit.
        maxEventStreams = try c.decodeIfPresent(Int.self, forKey: .maxEventStreams, in: Self.maxEventStreamsRange)
            ?? min(256, max(1, maxConnections / 2))
        if maxEventStreams > max(1, maxConnections / 2) {
            throw DecodingError.dataCorruptedError(
                forKey: .maxEventStreams, in: c,
                debugDescription: "max_event_streams (\(maxEventStreams)) must be at most half of max_connections (\(maxConnections)): "
                    + "each stream holds a connection for as long as it lasts, and the rest must stay free for the API and /health")
        }
        // Protected mode, as Redis has it: an open address with no token would let anyone who can
        // reach it read, overwrite and clear the cache.
        if authToken == nil, auth != .clientCert, !allowUnauthenticated, !HostPolicy.isLoopback(host), !BindAddress.isLoopbackOnly(host) {
            throw DecodingError.dataCorruptedError(
                forKey: .host, in: c,
                debugDescription: "host \(host) accepts connections from other machines, and without auth_token anyone who can "
                    + "reach it can read the cache, overwrite it and clear it; set auth_token (e.g. auth_token: ${MONITORD_API_TOKEN}; "
                    + "it guards every change, and reads too with protect_reads: true), bind 127.0.0.1, "
                    + "or set allow_unauthenticated: true if a firewall or proxy already guards this address")
        }
        // `*` lets every web page the browser opens call the API; the Host check cannot help, since
        // the page talks to 127.0.0.1 by its address.
        if authToken == nil, !allowUnauthenticated, corsOrigins.contains("*") {
            throw DecodingError.dataCorruptedError(
                forKey: .corsOrigins, in: c,
                debugDescription: "cors_origins: \"*\" without auth_token lets any web page open in a browser on this machine "
                    + "overwrite and clear the cache; set auth_token, list the origins that may call the API, "
                    + "or set allow_unauthenticated: true")
        }
    }

    /// What `validate` and the start print without refusing the file (an expired certificate).
    public var warnings: [ConfigProblem] {
        (tls?.warnings ?? []).map { ConfigProblem(at: "tls.\($0.file.rawValue)", $0.message) }
    }

    /// `https` with `tls:`, else `http`.
    var scheme: String { tls == nil ? "http" : "https" }

    /// Port 0 (any free port) never conflicts with another sink.
    public var listenAddress: (host: String, port: Int)? {
        port == 0 ? nil : (host, port)
    }

    /// Builds the HTTP sink; it binds its port when it starts running.
    public func build(context: SinkBuildContext) async throws -> any Sink {
        try HTTPSink(id: context.id, config: self, runtime: context.runtime, logger: context.logger)
    }
}
