// libFuzzer target: the whole config loader (libyaml events, the node tree with marks, ${VAR}
// interpolation, the Decoder, range checks, the wiring checks) on any text. It must load or throw
// ConfigErrors whose every message renders; it must never trap, hang or read out of bounds.
//
// The registry holds the core's `internal` source plus a source and a sink defined here with one
// key of every kind a plugin uses (ranged integers, durations, sizes, doubles, strings, lists,
// nested structs, optionals), so the decoder's every path is reachable.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAMLConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let config = try ConfigLoader.load(text: text, file: "fuzz.yaml", registry: fuzzRegistry, environment: fuzzEnvironment)
        _ = config.sources.count + config.sinks.count
    } catch {
        for problem in error.errors { _ = problem.description }
        _ = error.description
    }
    return 0
}

private let fuzzEnvironment = ["PORT": "8000", "DIR": "/tmp/cache", "EMPTY": "", "TTL": "5m"]

private let fuzzRegistry: PluginRegistry = {
    var registry = PluginRegistry()
    registry.register(source: InternalSourceConfig.self)
    registry.register(source: FuzzSourceConfig.self)
    registry.register(sink: FuzzSinkConfig.self)
    return registry
}()

private struct FuzzSourceConfig: SourceConfig {
    static let type = "fuzz"
    var items: Int
    var ttl: Duration
    var size: ByteSize
    var ratio: Double
    var dir: String
    var tags: [String]
    var limits: Limits?

    struct Limits: Decodable, Sendable {
        var low: Int
        var high: Int
        var names: [String: String]?
    }

    enum CodingKeys: String, CodingKey { case items, ttl, size, ratio, dir, tags, limits }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decodeIfPresent(Int.self, forKey: .items, in: 1...1_000_000) ?? 200
        ttl = try c.decodeIfPresent(Duration.self, forKey: .ttl, in: .seconds(1)...Duration.seconds(86_400 * 365)) ?? .seconds(3600)
        size = try c.decodeIfPresent(ByteSize.self, forKey: .size, in: ByteSize(bytes: 1)...ByteSize(bytes: 1 << 50)) ?? ByteSize(bytes: 1 << 30)
        ratio = try c.decodeIfPresent(Double.self, forKey: .ratio, in: 0...1) ?? 0.5
        dir = try c.decodeIfPresent(String.self, forKey: .dir) ?? "cache"
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        limits = try c.decodeIfPresent(Limits.self, forKey: .limits)
    }

    func build(context: SourceBuildContext) async throws -> any Source {
        throw FuzzOnly()
    }
}

private struct FuzzSinkConfig: SinkConfig {
    static let type = "fuzzsink"
    var host: String
    var port: Int

    enum CodingKeys: String, CodingKey { case host, port }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        port = try c.decodeIfPresent(Int.self, forKey: .port, in: 0...65535) ?? 8000
    }

    var listenAddress: (host: String, port: Int)? { (host, port) }

    func build(context: SinkBuildContext) async throws -> any Sink {
        throw FuzzOnly()
    }
}

private struct FuzzOnly: Error {}
