/// The config of a source plugin: a plain `Decodable` struct picked by its `type:` key, which
/// knows how to build the running source.
///
/// The keys every source shares (`type`, `enabled`, `interval`, `jitter`, `timeout`) are decoded
/// into ``SourceSettings`` by the loader; the plugin's struct declares only its own keys.
public protocol SourceConfig: Decodable, Sendable {
    /// The `type:` value that selects this plugin (`cache`, `internal`).
    static var type: String { get }

    /// What `build` would refuse that can be known without side effects, given the rest of the
    /// file; `validate` reports it with line and column. None by default.
    func check(_ context: ConfigCheckContext) -> [ConfigProblem]

    /// The fields of the samples this source will emit, declared once: sinks render them and
    /// `validate` checks alert rules against them. None by default (views then show every scalar
    /// field as it comes, and `/metrics` leaves the source out).
    func metrics(_ context: ConfigCheckContext) -> [MetricDescriptor]

    /// The directory this source keeps its data in, if any: the `system` source watches the
    /// filesystems of these by default.
    var dataDirectory: String? { get }

    /// Builds the running source; an error here fails the start, naming the component.
    func build(context: SourceBuildContext) async throws -> any Source
}

extension SourceConfig {
    /// No problems: a plugin without checks of its own.
    public func check(_ context: ConfigCheckContext) -> [ConfigProblem] { [] }
    /// None: views show the fields as they come, and `/metrics` leaves the source out.
    public func metrics(_ context: ConfigCheckContext) -> [MetricDescriptor] { [] }
    /// None: the source keeps no data in a directory.
    public var dataDirectory: String? { nil }
}

/// The config of a sink plugin. The shared keys (`type`, `enabled`, `inputs`, `buffer`) are
/// decoded into ``SinkSettings`` by the loader.
public protocol SinkConfig: Decodable, Sendable {
    /// The `type:` value that selects this plugin (`http`, `log`, `tui`, `alerts`).
    static var type: String { get }
    /// The queue policy when the config names none (`drop_oldest` unless the plugin says otherwise).
    static var defaultBuffer: BufferPolicy { get }

    /// `host:port` the sink listens on, so two sinks on one port are caught by validation.
    var listenAddress: (host: String, port: Int)? { get }

    /// What `build` would refuse that can be known without side effects, given the rest of the
    /// file; `validate` reports it with line and column. None by default.
    func check(_ context: ConfigCheckContext) -> [ConfigProblem]

    /// What is worth an operator's attention without making the file invalid (an expired
    /// certificate); `validate` prints it and the sink logs it when it starts. None by default.
    var warnings: [ConfigProblem] { get }

    func build(context: SinkBuildContext) async throws -> any Sink
/// Builds the running sink; an error here fails the start, naming the component.
}

extension SinkConfig {
    /// No problems: a plugin without checks of its own.
    public func check(_ context: ConfigCheckContext) -> [ConfigProblem] { [] }
    /// No warnings.
    public var warnings: [ConfigProblem] { [] }
    /// `max_events: 1000, when_full: drop_oldest`.
    public static var defaultBuffer: BufferPolicy { BufferPolicy() }
    /// None: the sink does not listen.
    public var listenAddress: (host: String, port: Int)? { nil }
}

/// Keys shared by every source.
public struct SourceSettings: Sendable, Equatable {
    /// The `type:` value: which plugin the source is.
    public var type: String
    /// Whether the source runs (`enabled: false` keeps it in the file, off).
    public var enabled: Bool
    /// How often `sample()` runs (default 5s).
    public var interval: Duration
    /// A random delay up to this long added to each tick, so many sources do not sample in step.
    public var jitter: Duration
    /// How long one `sample()` may take (default: the interval).
    public var timeout: Duration

    /// Settings of a source of `type`; the timeout defaults to the interval.
    public init(type: String, enabled: Bool = true, interval: Duration = .seconds(5), jitter: Duration = .zero, timeout: Duration? = nil) {
        self.type = type
        self.enabled = enabled
        self.interval = interval
        self.jitter = jitter
        self.timeout = timeout ?? interval
    }

    /// The keys these settings own, which a plugin config does not repeat.
    public static let keys: Set<String> = ["type", "enabled", "interval", "jitter", "timeout"]
}

/// Keys shared by every sink.
public struct SinkSettings: Sendable, Equatable {
    /// The `type:` value: which plugin the sink is.
    public var type: String
    /// Whether the sink runs (`enabled: false` keeps it in the file, off).
    public var enabled: Bool
    /// Source ids or glob patterns; empty means every source.
    public var inputs: InputFilter
    /// The sink's queue on the bus.
    public var buffer: BufferPolicy

    /// Settings of a sink of `type`.
    public init(type: String, enabled: Bool = true, inputs: InputFilter = .all, buffer: BufferPolicy = BufferPolicy()) {
        self.type = type
        self.enabled = enabled
        self.inputs = inputs
        self.buffer = buffer
    }

    /// The keys these settings own, which a plugin config does not repeat.
    public static let keys: Set<String> = ["type", "enabled", "inputs", "buffer"]
}

/// The plugin types the daemon knows, by their `type:` name.
public struct PluginRegistry: Sendable {
    /// Source config types by their `type:` name.
    public private(set) var sources: [String: any SourceConfig.Type] = [:]
    /// Sink config types by their `type:` name.
    public private(set) var sinks: [String: any SinkConfig.Type] = [:]

    /// A registry that knows no plugin yet.
    public init() {}

    /// Makes the source type `config.type` known; a second registration of a name replaces the first.
    public mutating func register(source config: any SourceConfig.Type) {
        sources[config.type] = config
    }

    /// Makes the sink type `config.type` known; a second registration of a name replaces the first.
    public mutating func register(sink config: any SinkConfig.Type) {
        sinks[config.type] = config
    }
}
