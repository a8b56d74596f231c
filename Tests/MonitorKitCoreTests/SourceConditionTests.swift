import Logging
import MonitorKitCore
import Synchronization
import Testing

/// A test plugin: a counter source that hands out the condition its build context carries.
struct ReportingConfig: SourceConfig {
    static let type = "reporting"
    let handed = Handed()

    final class Handed: Sendable {
        let condition = Mutex<SourceCondition?>(nil)
    }

    init(from decoder: any Decoder) throws {}
    init() {}

    func build(context: SourceBuildContext) async throws -> any Source {
        handed.condition.withLock { $0 = context.condition }
        return CounterSource(id: context.id, emitter: context.emitter)
    }
}

/// A fault a source reports between samples shows in health until the source withdraws it.
@Suite struct SourceConditionTests {
    @Test("a reported fault makes the source failing with its message, whatever the samples say; clearing it restores ok")
    func faultOverridesSamples() async throws {
        let plugin = ReportingConfig()
        let recorder = Recorder()
        let config = MonitordConfig(
            file: "test.yaml", settings: DaemonSettings(),
            sources: [.init(id: "store", settings: SourceSettings(type: "reporting", interval: .milliseconds(20)), config: plugin)],
            sinks: [.init(id: "rec", settings: SinkSettings(type: "recorder"), config: RecorderConfig(recorder: recorder))],
            disabled: [])
        let runtime = try await Runtime.build(config: config, logger: Logger(label: "test"))
        let running = Task { try await runtime.run(handleSignals: false) }
        let condition = try #require(plugin.handed.condition.withLock { $0 })
        try await RuntimeTests.waitUntil { runtime.context.status("store")?.state == .ok }

        condition.fail("directory /x cannot be used: it no longer exists")
        #expect(condition.fault == "directory /x cannot be used: it no longer exists")
        #expect(runtime.context.status("store")?.state == .failing)
        #expect(runtime.context.status("store")?.message == "directory /x cannot be used: it no longer exists")
        // Samples keep succeeding meanwhile; the fault still wins.
        let sampled = recorder.events.count
        try await RuntimeTests.waitUntil { recorder.events.count > sampled + 2 }
        #expect(runtime.context.status("store")?.state == .failing)

        condition.clear()
        #expect(runtime.context.status("store")?.state == .ok)
        #expect(runtime.context.status("store")?.message == nil)

        // After the source stops, a late report does not bring it back to life.
        await runtime.shutdown()
        try await running.value
        condition.fail("late")
        #expect(runtime.context.status("store")?.state == .stopped)
    }
}
