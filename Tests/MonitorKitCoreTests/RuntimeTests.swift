import Logging
import MonitorKitCore
import Synchronization
import Testing

/// A test plugin: a source counting its samples.
struct CounterConfig: SourceConfig {
    static let type = "counter"
    func build(context: SourceBuildContext) async throws -> any Source { CounterSource(id: context.id, emitter: context.emitter) }
}

final class CounterSource: Source, Sendable {
    let id: String
    let emitter: Emitter
    private let count = Atomic(0)
    var sampleName: String { "counter.stats" }
    var actions: [String] { ["bump"] }

    init(id: String, emitter: Emitter) {
        self.id = id
        self.emitter = emitter
    }

    func sample() async throws -> Fields {
        ["count": .int(count.add(1, ordering: .relaxed).newValue)]
    }

    func perform(action: String, arguments: Fields) async throws -> Fields {
        guard action == "bump" else { throw SourceActionError.unknownAction(source: id, action: action) }
        let by = arguments["by"]?.intValue ?? 1
        await emitter.emit("counter.bumped", fields: ["by": .int(by)])
        return ["count": .int(count.add(by, ordering: .relaxed).newValue)]
    }
}

/// A test plugin: a sink recording what it consumes, which can be held back to build a queue.
struct RecorderConfig: SinkConfig {
    static let type = "recorder"
    let recorder: Recorder
    init(recorder: Recorder) { self.recorder = recorder }
    init(from decoder: any Decoder) throws { recorder = Recorder() }
    func build(context: SinkBuildContext) async throws -> any Sink { RecorderSink(id: context.id, recorder: recorder) }
}

final class Recorder: Sendable {
    private let state = Mutex<(events: [Event], ended: Bool, held: Bool, gate: CheckedContinuation<Void, Never>?)>(([], false, false, nil))

    init(held: Bool = false) { state.withLock { $0.held = held } }

    var events: [Event] { state.withLock { $0.events } }
    var ended: Bool { state.withLock { $0.ended } }

    func release() {
        state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.held = false
            defer { s.gate = nil }
            return s.gate
        }?.resume()
    }

    func waitWhileHeld() async {
        await withCheckedContinuation { continuation in
            let go = state.withLock { s -> Bool in
                if !s.held { return true }
                s.gate = continuation
                return false
            }
            if go { continuation.resume() }
        }
    }

    func record(_ event: Event) { state.withLock { $0.events.append(event) } }
    func end() { state.withLock { $0.ended = true } }
}

struct RecorderSink: Sink {
    let id: String
    let recorder: Recorder
    func run(events: Subscription) async throws {
        await recorder.waitWhileHeld()
        for await event in events { recorder.record(event) }
        recorder.end()
    }
}

@Suite("Runtime")
struct RuntimeTests {
    static func config(recorder: Recorder, interval: Duration = .milliseconds(20), shutdownTimeout: Duration = .seconds(10)) -> MonitordConfig {
        var settings = DaemonSettings()
        settings.shutdownTimeout = shutdownTimeout
        settings.history = 5
        return MonitordConfig(
            file: "test.yaml", settings: settings,
            sources: [
                .init(id: "counter", settings: SourceSettings(type: "counter", interval: interval), config: CounterConfig()),
                .init(id: "internal", settings: SourceSettings(type: "internal", interval: interval), config: InternalSourceConfig()),
            ],
            sinks: [.init(id: "rec", settings: SinkSettings(type: "recorder", inputs: InputFilter(["counter", "internal"])), config: RecorderConfig(recorder: recorder))],
            disabled: [])
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("builds the graph from a config: samples flow to the sink, history and health fill, actions run by id")
    func wiring() async throws {
        let recorder = Recorder()
        let runtime = try await Runtime.build(config: Self.config(recorder: recorder), logger: Logger(label: "test"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await Self.waitUntil { recorder.events.filter { $0.name == "counter.stats" }.count >= 3 }

        #expect(runtime.context.sources.map(\.id) == ["counter", "internal"])
        #expect(runtime.context.status("counter")?.state == .ok)
        #expect(runtime.context.status("rec")?.state == .ok)
        #expect(runtime.context.history.samples(source: "counter").count >= 3)
        let bumped = try await runtime.context.invoke(source: "counter", action: "bump", arguments: ["by": .int(100)])
        #expect((bumped["count"]?.intValue ?? 0) > 100)
        await #expect(throws: SourceActionError.unknownSource("nope")) {
            try await runtime.context.invoke(source: "nope", action: "stats")
        }
        try await Self.waitUntil { recorder.events.contains { $0.name == "counter.bumped" } }

        // The internal source reports the sink's subscription and the counter's scheduler.
        try await Self.waitUntil { recorder.events.contains { $0.name == "internal.stats" && ($0.fields["subscriptions"]?.objectValue?["rec"]?.objectValue?["delivered"]?.intValue ?? 0) > 0 } }
        let internalSample = try #require(recorder.events.last { $0.name == "internal.stats" })
        let counterRun = try #require(internalSample.fields["sources"]?.objectValue?["counter"]?.objectValue)
        #expect(counterRun["state"] == .string("ok"))
        #expect((counterRun["samples"]?.intValue ?? 0) >= 1)

        // A sink asks for the shutdown (the terminal view's `q` does).
        await runtime.context.requestShutdown()
        try await running.value
        #expect(recorder.ended)
        #expect(runtime.context.status("counter")?.state == .stopped)
        #expect(runtime.context.status("rec")?.state == .stopped)
    }

    @Test("shutdown stops sources first, then drains every queued event into the sink")
    func drainsOnShutdown() async throws {
        let recorder = Recorder(held: true)
        let runtime = try await Runtime.build(
            config: Self.config(recorder: recorder, interval: .seconds(3600)), logger: Logger(label: "test"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await Self.waitUntil { runtime.context.status("counter")?.state == .ok }
        for n in 1...300 { _ = try await runtime.context.invoke(source: "counter", action: "bump", arguments: ["by": .int(n)]) }
        let queued = runtime.context.bus.stats.first { $0.id == "rec" }?.queued ?? 0
        #expect(queued >= 300)

        await runtime.shutdown()
        try await Self.waitUntil { runtime.context.status("counter")?.state == .stopped }
        #expect(!recorder.ended)
        recorder.release()
        try await running.value
        #expect(recorder.ended)
        #expect(recorder.events.filter { $0.name == "counter.bumped" }.map { $0.fields["by"]?.intValue ?? 0 } == Array(1...300))
    }

    @Test("a sink that never drains cannot hold shutdown past shutdown_timeout")
    func shutdownTimeout() async throws {
        let recorder = Recorder(held: true)
        let runtime = try await Runtime.build(
            config: Self.config(recorder: recorder, shutdownTimeout: .milliseconds(200)), logger: Logger(label: "test"))
        let running = Task { try await runtime.run(handleSignals: false) }
        try await Self.waitUntil { runtime.context.status("rec")?.state == .ok }
        await runtime.shutdown()
        // run() returns although the sink is still held.
        _ = try? await running.value
        #expect(!recorder.ended)
        recorder.release()
    }

    @Test("a source that cannot be built names itself")
    func buildFailure() async throws {
        struct Broken: SourceConfig {
            static let type = "broken"
            struct Failure: Error, CustomStringConvertible { var description: String { "cannot create directory /nope: Permission denied" } }
            func build(context: SourceBuildContext) async throws -> any Source { throw Failure() }
        }
        let config = MonitordConfig(
            file: "t", settings: DaemonSettings(),
            sources: [.init(id: "cache", settings: SourceSettings(type: "broken"), config: Broken())], sinks: [], disabled: [])
        do throws(RuntimeError) {
            _ = try await Runtime.build(config: config, logger: Logger(label: "t"))
            Issue.record("the build should have failed")
        } catch {
            #expect(error.description == "sources.cache: cannot create directory /nope: Permission denied")
        }
    }
}
