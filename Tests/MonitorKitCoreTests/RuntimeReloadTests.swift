import Logging
@testable import MonitorKitCore
import Synchronization
import Testing

/// A source whose config carries a number; it takes a new number in place unless `fixed`.
struct TunableConfig: SourceConfig {
    static let type = "tunable"
    var level: Int
    var fixed = false
    var failsToBuild = false
    init(level: Int, fixed: Bool = false, failsToBuild: Bool = false) {
        self.level = level
        self.fixed = fixed
        self.failsToBuild = failsToBuild
    }
    init(from decoder: any Decoder) throws { level = 0 }
    struct Refused: Error, CustomStringConvertible { var description: String { "level refused" } }
    func build(context: SourceBuildContext) async throws -> any Source {
        if failsToBuild { throw Refused() }
        TunableSource.built.add(1, ordering: .relaxed)
        return TunableSource(id: context.id, level: level, fixed: fixed)
    }
}

final class TunableSource: ReconfigurableSource, Sendable {
    static let built = Atomic(0)
    let id: String
    let fixed: Bool
    let level: Mutex<Int>
    var sampleName: String { "tunable.stats" }
    var actions: [String] { ["stats"] }
    init(id: String, level: Int, fixed: Bool) {
        self.id = id
        self.level = Mutex(level)
        self.fixed = fixed
    }
    func sample() async throws -> Fields { ["level": .int(level.withLock { $0 })] }
    func perform(action: String, arguments: Fields) async throws -> Fields { try await sample() }
    func reconfigure(to config: any SourceConfig) async -> Bool {
        guard !fixed, let config = config as? TunableConfig else { return false }
        level.withLock { $0 = config.level }
        return true
    }
}

@Suite("Runtime reload", .serialized)
struct RuntimeReloadTests {
    static func config(_ tunable: TunableConfig?, recorder: Recorder, extraSink: Bool = false, file: String = "test.yaml") -> MonitordConfig {
        var sources: [MonitordConfig.SourceEntry] = [
            .init(id: "counter", settings: SourceSettings(type: "counter", interval: .milliseconds(20)), config: CounterConfig(), fingerprint: "counter"),
        ]
        if let tunable {
            sources.append(.init(
                id: "tune", settings: SourceSettings(type: "tunable", interval: .seconds(3600)), config: tunable,
                fingerprint: "level=\(tunable.level),fixed=\(tunable.fixed),fails=\(tunable.failsToBuild)"))
        }
        var sinks: [MonitordConfig.SinkEntry] = [
            .init(id: "rec", settings: SinkSettings(type: "recorder"), config: RecorderConfig(recorder: recorder), fingerprint: "rec"),
        ]
        if extraSink {
            sinks.append(.init(id: "rec2", settings: SinkSettings(type: "recorder"), config: RecorderConfig(recorder: Recorder()), fingerprint: "rec2"))
        }
        return MonitordConfig(file: file, settings: DaemonSettings(), sources: sources, sinks: sinks, disabled: [])
    }

    static func level(_ runtime: Runtime) async throws -> Int? {
        try await runtime.context.invoke(source: "tune", action: "stats")["level"]?.intValue
    }

    @Test("an unchanged config keeps every component; a changed one is taken in place when the source can")
    func keepsAndUpdates() async throws {
        let recorder = Recorder()
        let runtime = try await Runtime.build(config: Self.config(TunableConfig(level: 1), recorder: recorder), logger: Logger(label: "t"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await RuntimeTests.waitUntil { runtime.context.status("rec")?.state == .ok }
        let builds = TunableSource.built.load(ordering: .relaxed)

        let same = await runtime.reload(to: Self.config(TunableConfig(level: 1), recorder: recorder))
        #expect(same.succeeded)
        #expect(same.changes.map(\.action) == [.kept, .kept, .kept])

        let tuned = await runtime.reload(to: Self.config(TunableConfig(level: 7), recorder: recorder))
        #expect(tuned.changes.first { $0.component == "sources.tune" }?.action == .updated)
        #expect(try await Self.level(runtime) == 7)
        #expect(TunableSource.built.load(ordering: .relaxed) == builds, "taken in place, not rebuilt")
        // The sink kept consuming the same subscription all along.
        let seen = recorder.events.count
        try await RuntimeTests.waitUntil { recorder.events.count > seen + 2 }

        await runtime.shutdown()
        try await running.value
    }

    @Test("a source that cannot take the change is rebuilt; one whose new config fails keeps the old one running")
    func rebuildsOrKeeps() async throws {
        let recorder = Recorder()
        let runtime = try await Runtime.build(config: Self.config(TunableConfig(level: 1, fixed: true), recorder: recorder), logger: Logger(label: "t"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await RuntimeTests.waitUntil { runtime.context.status("rec")?.state == .ok }

        let rebuilt = await runtime.reload(to: Self.config(TunableConfig(level: 2, fixed: true), recorder: recorder))
        #expect(rebuilt.changes.first { $0.component == "sources.tune" }?.action == .rebuilt)
        #expect(try await Self.level(runtime) == 2)

        let broken = await runtime.reload(to: Self.config(TunableConfig(level: 3, fixed: true, failsToBuild: true), recorder: recorder))
        #expect(!broken.succeeded)
        #expect(broken.errors == ["sources.tune: level refused (the running source was kept)"])
        #expect(try await Self.level(runtime) == 2)
        #expect(runtime.context.sources.map(\.id) == ["counter", "tune"])

        await runtime.shutdown()
        try await running.value
    }

    @Test("removed components stop and leave health and the bus; added ones start")
    func removesAndAdds() async throws {
        let recorder = Recorder()
        let runtime = try await Runtime.build(config: Self.config(TunableConfig(level: 1), recorder: recorder, extraSink: true), logger: Logger(label: "t"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await RuntimeTests.waitUntil { runtime.context.status("rec2")?.state == .ok }

        let removed = await runtime.reload(to: Self.config(nil, recorder: recorder))
        #expect(Set(removed.changes.filter { $0.action == .removed }.map(\.component)) == ["sources.tune", "sinks.rec2"])
        #expect(runtime.context.sourceInfo("tune") == nil)
        await #expect(throws: SourceActionError.unknownSource("tune")) { try await runtime.context.invoke(source: "tune", action: "stats") }
        try await RuntimeTests.waitUntil { runtime.context.status("rec2") == nil && !runtime.context.bus.stats.contains { $0.id == "rec2" } }
        #expect(runtime.context.status("tune") == nil)

        let added = await runtime.reload(to: Self.config(TunableConfig(level: 5), recorder: recorder))
        #expect(added.changes.first { $0.component == "sources.tune" }?.action == .added)
        #expect(try await Self.level(runtime) == 5)
        #expect(runtime.config.sources.map(\.id) == ["counter", "tune"])

        await runtime.shutdown()
        try await running.value
        #expect(recorder.ended)
        #expect(runtime.context.status("tune")?.state == .stopped)
    }

    @Test("a reload asked for after shutdown is refused, not left waiting")
    func afterShutdown() async throws {
        let recorder = Recorder()
        let runtime = try await Runtime.build(config: Self.config(nil, recorder: recorder), logger: Logger(label: "t"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await RuntimeTests.waitUntil { runtime.context.status("rec")?.state == .ok }
        await runtime.shutdown()
        try await running.value
        let outcome = await runtime.reload(to: Self.config(nil, recorder: recorder))
        #expect(outcome.errors == ["the daemon is shutting down"])
    }
}

@Suite("Component fingerprints")
struct ComponentFingerprintTests {
    static func fingerprint(_ yaml: String) throws -> String {
        let config = try ConfigLoader.load(text: yaml, file: "t.yaml", registry: {
            var registry = PluginRegistry()
            registry.register(source: InternalSourceConfig.self)
            return registry
        }(), environment: ["LEVEL": "x"])
        return config.sources[0].fingerprint
    }

    @Test("equal when the plugin's keys mean the same; shared keys, order, quoting and comments do not count")
    func equality() throws {
        let a = try ComponentFingerprint.of(YAMLParser.parse("{b: 1, a: \"two\", interval: 5s}"), excluding: SourceSettings.keys)
        let b = try ComponentFingerprint.of(YAMLParser.parse("# c\n{a: two, b: 1, interval: 9s}"), excluding: SourceSettings.keys)
        let c = try ComponentFingerprint.of(YAMLParser.parse("{a: two, b: 2}"), excluding: SourceSettings.keys)
        let d = try ComponentFingerprint.of(YAMLParser.parse("{a: [two], b: 1}"), excluding: SourceSettings.keys)
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
        #expect(try Self.fingerprint("sources:\n  i: { type: internal }\n") == Self.fingerprint("sources:\n  i: { type: internal, interval: 1s }\n"))
    }
}

/// A sink that holds what a file said: the "file" is the config's `content`, handed over on reload.
struct FileHolderConfig: SinkConfig {
    static let type = "file-holder"
    var content: String
    init(content: String) { self.content = content }
    init(from decoder: any Decoder) throws { content = "" }
    func build(context: SinkBuildContext) async throws -> any Sink { FileHolderSink(id: context.id, content: content) }
}

final class FileHolderSink: FileReadingSink, Sendable {
    let id: String
    let content: Mutex<String>
    init(id: String, content: String) {
        self.id = id
        self.content = Mutex(content)
    }
    func run(events: Subscription) async throws {
        for await _ in events {}
    }
    func reread(_ config: any SinkConfig) async -> FileReread {
        guard let next = (config as? FileHolderConfig)?.content else { return .unchanged }
        if next == "broken" { return .failed("the file is broken; still serving \(content.withLock { $0 })") }
        return content.withLock { current in
            guard current != next else { return .unchanged }
            defer { current = next }
            return .updated("\(current) -> \(next)")
        }
    }
}

@Suite("Runtime reload of files a config names", .serialized)
struct FileRereadTests {
    static func config(_ content: String) -> MonitordConfig {
        MonitordConfig(file: "test.yaml", settings: DaemonSettings(), sources: [
            .init(id: "counter", settings: SourceSettings(type: "counter", interval: .milliseconds(20)), config: CounterConfig(), fingerprint: "counter"),
        ], sinks: [
            // The same keys every time (the fingerprint): only the file's content differs.
            .init(id: "holder", settings: SinkSettings(type: "file-holder"), config: FileHolderConfig(content: content), fingerprint: "path=/etc/x"),
        ], disabled: [])
    }

    @Test("a kept sink that reads files is handed the new read; a failure is the reload's error and changes nothing")
    func rereads() async throws {
        let runtime = try await Runtime.build(config: Self.config("v1"), logger: Logger(label: "t"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await RuntimeTests.waitUntil { runtime.context.status("holder")?.state == .ok }

        let same = await runtime.reload(to: Self.config("v1"))
        #expect(same.succeeded)
        #expect(same.changes.first { $0.component == "sinks.holder" }?.action == .kept)

        let renewed = await runtime.reload(to: Self.config("v2"))
        let change = renewed.changes.first { $0.component == "sinks.holder" }
        #expect(renewed.succeeded)
        #expect(change?.action == .updated)
        #expect(change?.message == "v1 -> v2")

        let broken = await runtime.reload(to: Self.config("broken"))
        #expect(!broken.succeeded)
        #expect(broken.errors == ["sinks.holder: the file is broken; still serving v2"])

        await runtime.shutdown()
        try await running.value
    }
}
