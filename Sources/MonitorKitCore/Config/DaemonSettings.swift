/// The `monitord:` section of the config.
public struct DaemonSettings: Sendable, Equatable, Decodable {
    /// How monitord writes its own logs (`monitord.log_format`).
    public enum LogFormat: String, Sendable, Codable, CaseIterable {
        /// Human-readable lines (the default).
        case text
        /// One ECS JSON object per line, as the log sink writes.
        case json
    }

    /// The lowest level of monitord's own logs that is written (`log_level`, default `info`).
    public var logLevel: LogLevel = .info
    /// The shape of monitord's own logs (`log_format`, default `text`).
    public var logFormat: LogFormat = .text
    /// Metric samples kept per source (720 = one hour at 5s).
    public var history: Int = 720
    /// How long shutdown may take to drain sink queues.
    public var shutdownTimeout: Duration = .seconds(10)

    /// The defaults, as when the config has no `monitord:` section.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case logLevel = "log_level"
        case logFormat = "log_format"
        case history
        case shutdownTimeout = "shutdown_timeout"
    }

    /// Decodes the `monitord:` section, each value checked against its range.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        logLevel = try c.decodeIfPresent(LogLevel.self, forKey: .logLevel) ?? .info
        logFormat = try c.decodeIfPresent(LogFormat.self, forKey: .logFormat) ?? .text
        // The history ring is allocated per source at start: a million samples is already ~1 GiB.
        history = try c.decodeIfPresent(Int.self, forKey: .history, in: 1...1_000_000) ?? 720
        shutdownTimeout = try c.decodeIfPresent(Duration.self, forKey: .shutdownTimeout, in: .milliseconds(1) ... .seconds(3600)) ?? .seconds(10)
    }
}

/// A validated `monitord.yaml`: what the runtime builds.
public struct MonitordConfig: Sendable {
    /// A source as configured.
    public struct SourceEntry: Sendable {
        /// The component id (its key under `sources:`).
        public var id: String
        /// The keys every source shares.
        public var settings: SourceSettings
        /// The plugin's own config, decoded by the type its `type:` names.
        public var config: any SourceConfig
        /// The plugin's keys as written, normalized: equal in two loads exactly when the
        /// plugin's config is the same, which is how a reload finds what it may keep running.
        public var fingerprint: String

        /// A configured source; `fingerprint` defaults to the config's own description.
        public init(id: String, settings: SourceSettings, config: any SourceConfig, fingerprint: String? = nil) {
            self.id = id
            self.settings = settings
            self.config = config
            self.fingerprint = fingerprint ?? String(reflecting: config)
        }
    }

    /// A sink as configured.
    public struct SinkEntry: Sendable {
        /// The component id (its key under `sinks:`).
        public var id: String
        /// The keys every sink shares.
        public var settings: SinkSettings
        /// The plugin's own config, decoded by the type its `type:` names.
        public var config: any SinkConfig
        /// The plugin's keys as written, normalized: equal in two loads exactly when the
        /// plugin's config is the same, which is how a reload finds what it may keep running.
        public var fingerprint: String

        /// A configured sink; `fingerprint` defaults to the config's own description.
        public init(id: String, settings: SinkSettings, config: any SinkConfig, fingerprint: String? = nil) {
            self.id = id
            self.settings = settings
            self.config = config
            self.fingerprint = fingerprint ?? String(reflecting: config)
        }
    }

    /// The file the config came from (`<embedded>` for the compiled-in default).
    public var file: String
    /// The `monitord:` section.
    public var settings: DaemonSettings
    /// Enabled sources, in file order.
    public var sources: [SourceEntry]
    /// Enabled sinks, in file order.
    public var sinks: [SinkEntry]
    /// Ids of components present but `enabled: false`.
    public var disabled: [String]
    /// What the file's plugins flag without refusing it (an expired certificate), each as
    /// `file:line:column: path: message`; `validate` prints them.
    public var warnings: [String] = []

    /// A config as the loader builds it.
    public init(file: String, settings: DaemonSettings, sources: [SourceEntry], sinks: [SinkEntry], disabled: [String]) {
        self.file = file
        self.settings = settings
        self.sources = sources
        self.sinks = sinks
        self.disabled = disabled
    }
}
