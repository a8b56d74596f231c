import MonitorKitCore

/// Small plugin configs shaped like the real ones, registered under the real type names, so the
/// loader's rules are tested on the same kinds of structs the plugins declare.
struct NotBuiltInTests: Error {}

struct TestCacheConfig: SourceConfig {
    static let type = "cache"

    enum Eviction: String, Decodable, CaseIterable { case lru, fifo }

    var cacheDir = "cache"
    var maxMemorySize = 200
    var defaultTTL: Duration = .seconds(3600)
    var maxDiskSize = ByteSize(bytes: 1 << 30)
    var eviction = Eviction.lru

    enum CodingKeys: String, CodingKey {
        case cacheDir = "cache_dir", maxMemorySize = "max_memory_size", defaultTTL = "default_ttl"
        case maxDiskSize = "max_disk_size", eviction
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cacheDir = try c.decodeIfPresent(String.self, forKey: .cacheDir) ?? cacheDir
        maxMemorySize = try c.decodeIfPresent(Int.self, forKey: .maxMemorySize) ?? maxMemorySize
        guard maxMemorySize >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxMemorySize, in: c, debugDescription: "max_memory_size must be at least 1 item, found \(maxMemorySize)")
        }
        defaultTTL = try c.decodeIfPresent(Duration.self, forKey: .defaultTTL) ?? defaultTTL
        maxDiskSize = try c.decodeIfPresent(ByteSize.self, forKey: .maxDiskSize) ?? maxDiskSize
        eviction = try c.decodeIfPresent(Eviction.self, forKey: .eviction) ?? eviction
    }

    func build(context: SourceBuildContext) async throws -> any Source { throw NotBuiltInTests() }
}

/// A source type with no keys of its own (synthesized Decodable of an empty struct).
struct TestInternalConfig: SourceConfig {
    static let type = "internal"
    func build(context: SourceBuildContext) async throws -> any Source { throw NotBuiltInTests() }
}

struct TestHTTPConfig: SinkConfig {
    static let type = "http"
    var host = "127.0.0.1"
    var port = 8000
    var authToken: String?

    enum CodingKeys: String, CodingKey { case host, port, authToken = "auth_token" }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        guard (0...65535).contains(port) else {
            throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "port must be between 0 and 65535, found \(port)")
        }
        authToken = try c.decodeIfPresent(String.self, forKey: .authToken)
    }

    var listenAddress: (host: String, port: Int)? { (host, port) }
    func build(context: SinkBuildContext) async throws -> any Sink { throw NotBuiltInTests() }
}

struct TestLogConfig: SinkConfig {
    static let type = "log"
    static var defaultBuffer: BufferPolicy { BufferPolicy(maxEvents: 5000, whenFull: .block) }
    var path: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? "-"
    }

    enum CodingKeys: String, CodingKey { case path }
    func build(context: SinkBuildContext) async throws -> any Sink { throw NotBuiltInTests() }
}

struct TestTUIConfig: SinkConfig {
    static let type = "tui"
    var refresh: Duration?
    func build(context: SinkBuildContext) async throws -> any Sink { throw NotBuiltInTests() }
}

struct TestAlertsConfig: SinkConfig {
    static let type = "alerts"

    struct Rule: Decodable, Equatable {
        enum Severity: String, Decodable, CaseIterable { case info, warning, critical }
        var name: String
        var metric: String
        var above: Double?
        var below: Double?
        var clearAbove: Double?
        var `for`: Duration?
        var severity: Severity
        var labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name, metric, above, below, clearAbove = "clear_above", `for`, severity, labels
        }
    }

    var rules: [Rule]
    func build(context: SinkBuildContext) async throws -> any Sink { throw NotBuiltInTests() }
}

extension PluginRegistry {
    static var forConfigTests: PluginRegistry {
        var registry = PluginRegistry()
        registry.register(source: TestCacheConfig.self)
        registry.register(source: TestInternalConfig.self)
        registry.register(sink: TestHTTPConfig.self)
        registry.register(sink: TestLogConfig.self)
        registry.register(sink: TestTUIConfig.self)
        registry.register(sink: TestAlertsConfig.self)
        return registry
    }
}

/// The loader's error lines for `text`, or a failure marker when it loads.
func configErrors(_ text: String, environment: [String: String] = [:], file: String = "monitord.yaml") -> [String] {
    do {
        _ = try ConfigLoader.load(text: text, file: file, registry: .forConfigTests, environment: environment)
        return ["<loaded without errors>"]
    } catch {
        return error.errors.map(\.description)
    }
}

/// The decoder's error lines for `text` decoded as `T`.
func decodeErrors<T: Decodable>(_ type: T.Type, _ text: String, environment: [String: String] = [:]) -> [String] {
    do {
        _ = try YAMLDecoder().decode(T.self, from: text, file: "test.yaml", environment: environment)
        return ["<decoded without errors>"]
    } catch {
        return error.errors.map(\.description)
    }
}
