#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncHTTPClient
import MonitorKitCore

/// `monitord top`: the terminal view of a remote monitord, over its HTTP API.
public struct TopViewer: Sendable {
    /// What `monitord top` was asked for.
    public struct Options: Sendable, Equatable {
        /// The monitord HTTP API, e.g. `http://127.0.0.1:8000`.
        public var url: String
        /// Sent as `Authorization: Bearer <token>` (clear needs it when `auth_token` is set).
        public var token: String?
        /// The source selected at start.
        public var source: String?
        /// Print one plain-text snapshot and exit.
        public var once: Bool
        /// How often the view redraws when no event arrives.
        public var interval: Duration
        /// For an `https://` URL: the CA to trust and the client's own certificate.
        public var tls: ClientTLSFiles

        /// Options with every flag given in code; the defaults are the flags' defaults.
        public init(
            url: String = "http://127.0.0.1:8000", token: String? = nil, source: String? = nil, once: Bool = false,
            interval: Duration = .seconds(1), tls: ClientTLSFiles = ClientTLSFiles()
        ) {
            self.url = url
            self.token = token
            self.source = source
            self.once = once
            self.interval = interval
            self.tls = tls
        }

        /// The URL without trailing slashes, after checking it is an http(s) URL with a host.
        public func validatedURL() throws(TopOptionError) -> String {
            var url = url
            while url.hasSuffix("/") { url.removeLast() }
            let scheme = ["http://", "https://"].first { url.lowercased().hasPrefix($0) }
            guard let scheme, url.count > scheme.count, !url.contains(" ") else {
                throw TopOptionError("--url must be an http:// or https:// URL such as http://127.0.0.1:8000, found \"\(self.url)\"")
            }
            return url
        }

        /// Throws when a flag cannot work (an unusable URL, an interval out of range, an empty source), saying how to fix it.
        public func validate() throws(TopOptionError) {
            _ = try validatedURL()
            guard interval >= .milliseconds(100), interval <= .seconds(60) else {
                throw TopOptionError("--interval must be between 0.1 and 60 seconds, found \(interval)")
            }
            if let source, source.isEmpty { throw TopOptionError("--source must name a source id, e.g. cache") }
            try tls.validate()
            if tls != ClientTLSFiles(), !url.lowercased().hasPrefix("https://") {
                throw TopOptionError("--cacert, --cert and --key are for an https:// URL; --url is \(url)")
            }
        }
    }

    /// The options the viewer runs with.
    public let options: Options

    /// A viewer for `options`, which should have passed ``Options/validate()``.
    public init(options: Options) {
        self.options = options
    }

    /// Runs the view, or prints the snapshot, and returns the process's exit status. Errors are
    /// written to stderr as one line.
    public func run() async -> Int32 {
        let url: String
        do {
            try options.validate()
            url = try options.validatedURL()
        } catch {
            return fail(error.description)
        }
        if !options.once {
            guard TerminalScreen.isTerminal(STDOUT_FILENO) else { return fail(TUIError.topNeedsTerminal.description) }
            if let term = getenv("TERM"), String(cString: term) == "dumb" { return fail(TUIError.dumbTerminal.description) }
        }
        var configuration = HTTPClient.Configuration()
        // Three missed heartbeats of the event stream (15s each by default) mean a dead peer.
        configuration.timeout = .init(connect: .seconds(3), read: .seconds(45))
        do {
            configuration.tlsConfiguration = try options.tls.configuration()
        } catch {
            return fail("monitord top: \(error.description)")
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let backend = RemoteBackend(api: RemoteAPI(client: client, baseURL: url, token: options.token))
        let status = options.once ? await printSnapshot(backend) : await runView(backend)
        try? await client.shutdown()
        return status
    }

    private func runView(_ backend: RemoteBackend) async -> Int32 {
        var dashboard = DashboardOptions()
        dashboard.refreshInterval = options.interval
        dashboard.colors = TUISinkConfig.colorsWanted()
        dashboard.initialSource = options.source
        dashboard.signals = [SIGINT, SIGTERM, SIGHUP]
        let app = DashboardApp(backend: backend, options: dashboard, screen: TerminalScreen(), version: MonitorKit.version)
        switch await app.run() {
        case .quit, .feedEnded: return 0
        case .signal(let number): return 128 + number
        }
    }

    /// One plain-text picture (no escape codes) as wide as the terminal, `$COLUMNS`, or 100.
    private func printSnapshot(_ backend: RemoteBackend) async -> Int32 {
        let snapshot: DashboardSnapshot
        do {
            snapshot = try await backend.snapshot()
        } catch {
            return fail("monitord top: cannot read \(backend.api.baseURL): \(RemoteError.describe(error))")
        }
        if let source = options.source, !snapshot.sources.contains(where: { $0.id == source }) {
            return fail("monitord top: no source named \"\(source)\" (sources: \(snapshot.sources.map(\.id).joined(separator: ", ")))")
        }
        let now = Event.now()
        var state = DashboardState(mode: backend.mode, version: MonitorKit.version, connection: .snapshot, preferredSource: options.source)
        state.apply(.snapshot(snapshot), now: now)
        let width = TerminalScreen.size(of: STDOUT_FILENO)?.width
            ?? getenv("COLUMNS").flatMap { Int(String(cString: $0)) }
            ?? 100
        print(DashboardRenderer.plainText(DashboardRenderer(width: max(DashboardRenderer.minimumWidth, width), height: nil, now: now).render(state)))
        return 0
    }

    private func fail(_ message: String) -> Int32 {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        return 1
    }
}
