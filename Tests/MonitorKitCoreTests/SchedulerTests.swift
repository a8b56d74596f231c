@testable import MonitorKitCore
import Synchronization
import Testing

/// A source whose samples the test controls: each sample waits until the test releases it, and
/// may fail.
final class GatedSource: Source, Sendable {
    let id = "gated"
    var sampleName: String { "gated.stats" }

    private struct State {
        var started = 0
        var running = 0
        var maxRunning = 0
        var failNext = false
        var gates: [CheckedContinuation<Void, Never>] = []
        var autoRelease = false
    }

    private let state = Mutex(State())

    init(autoRelease: Bool = false, failing: Bool = false) {
        state.withLock {
            $0.autoRelease = autoRelease
            $0.failNext = failing
        }
    }

    var started: Int { state.withLock { $0.started } }
    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var waiting: Int { state.withLock { $0.gates.count } }

    func setFailing(_ failing: Bool) { state.withLock { $0.failNext = failing } }

    func releaseAll() {
        for gate in state.withLock({ s -> [CheckedContinuation<Void, Never>] in
            defer { s.gates = [] }
            return s.gates
        }) { gate.resume() }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "backend unreachable" }
    }

    func sample() async throws -> Fields {
        let (auto, n) = state.withLock { s -> (Bool, Int) in
            s.started += 1
            s.running += 1
            s.maxRunning = max(s.maxRunning, s.running)
            return (s.autoRelease, s.started)
        }
        if !auto {
            await withCheckedContinuation { continuation in
                state.withLock { $0.gates.append(continuation) }
            }
        }
        let fail = state.withLock { s -> Bool in
            s.running -= 1
            return s.failNext
        }
        if fail { throw Failure() }
        return ["n": .int(n)]
    }
}

@Suite("Scheduler in virtual time")
struct SchedulerTests {
    /// Waits until the scheduler is parked on the clock with nothing else sleeping. `condition`
    /// must name the attempt just finished (runStats), since the sample's watchdog sleeps too.
    static func settle(_ clock: ManualClock, _ condition: () -> Bool = { true }) async {
        while !(clock.sleepers == 1 && condition()) { await Task.yield() }
    }

    @Test("samples every interval and publishes metric events")
    func publishesSamples() async {
        let clock = ManualClock()
        let bus = EventBus()
        let sub = bus.subscribe("test")
        let source = GatedSource(autoRelease: true)
        let scheduler = Scheduler(source: source, settings: SourceSettings(type: "gated", interval: .seconds(5)), clock: clock, bus: bus)
        let task = Task { await scheduler.run() }
        await Self.settle(clock) { scheduler.runStats.samples == 1 }
        clock.advance(by: .seconds(5))
        await Self.settle(clock) { scheduler.runStats.samples == 2 }
        clock.advance(by: .seconds(4))
        for _ in 0..<50 { await Task.yield() }
        #expect(source.started == 2)
        task.cancel()
        await task.value
        sub.finish()
        var names: [String] = []
        for await event in sub { names.append("\(event.kind.rawValue):\(event.name):\(event.fields["n"]?.intValue ?? 0)") }
        #expect(names == ["metric:gated.stats:1", "metric:gated.stats:2"])
        #expect(scheduler.runStats.samples == 2)
    }

    @Test("ticks never overlap; skipped ticks are counted as overruns")
    func noOverlap() async {
        let clock = ManualClock()
        let bus = EventBus()
        let source = GatedSource()
        let settings = SourceSettings(type: "gated", interval: .seconds(5), timeout: .seconds(60))
        let scheduler = Scheduler(source: source, settings: settings, clock: clock, bus: bus)
        let task = Task { await scheduler.run() }
        // The first sample starts at t=0 and hangs; the watchdog (timeout) is the only sleeper.
        while !(source.waiting == 1 && clock.sleepers == 1) { await Task.yield() }
        clock.advance(by: .seconds(12))
        for _ in 0..<50 { await Task.yield() }
        #expect(source.started == 1)
        source.releaseAll()
        // Finished at t=12: the ticks at 5 and 10 were missed; the next is at 15.
        await Self.settle(clock) { scheduler.runStats.samples == 1 }
        #expect(scheduler.runStats.overruns == 2)
        clock.advance(by: .seconds(2))
        for _ in 0..<50 { await Task.yield() }
        #expect(source.started == 1)
        clock.advance(by: .seconds(1))
        while source.waiting < 1 { await Task.yield() }
        #expect(source.started == 2)
        #expect(source.maxRunning == 1)
        task.cancel()
        source.releaseAll()
        await task.value
    }

    @Test("a failing source backs off exponentially up to 60 s, reports errors, and recovers")
    func backoff() async {
        let clock = ManualClock()
        let bus = EventBus()
        let sub = bus.subscribe("test")
        let source = GatedSource(autoRelease: true, failing: true)
        let states = Mutex<[HealthState]>([])
        let scheduler = Scheduler(
            source: source, settings: SourceSettings(type: "gated", interval: .seconds(5)), clock: clock, bus: bus,
            onStateChange: { state, _ in states.withLock { $0.append(state) } })
        let task = Task { await scheduler.run() }
        await Self.settle(clock) { scheduler.runStats.errors == 1 }
        // Attempts after the first failure: +10 s, +20 s, +40 s, +60 s (capped), +60 s.
        for (delay, attempt) in [(10, 2), (20, 3), (40, 4), (60, 5), (60, 6)] {
            clock.advance(by: .seconds(delay - 1))
            for _ in 0..<20 { await Task.yield() }
            #expect(source.started == attempt - 1, "no attempt before the backoff of \(delay) s ends")
            clock.advance(by: .seconds(1))
            await Self.settle(clock) { scheduler.runStats.errors == attempt }
        }
        source.setFailing(false)
        clock.advance(by: .seconds(60))
        await Self.settle(clock) { scheduler.runStats.samples == 1 }
        clock.advance(by: .seconds(5))
        await Self.settle(clock) { scheduler.runStats.samples == 2 }
        task.cancel()
        await task.value
        sub.finish()
        var retries: [Double] = []
        var metrics = 0
        for await event in sub {
            if event.name == "source.error" {
                retries.append(event.fields["retry_in_seconds"]?.doubleValue ?? -1)
                #expect(event.fields["error"] == .string("backend unreachable"))
            } else {
                metrics += 1
            }
        }
        #expect(retries == [10, 20, 40, 60, 60, 60])
        #expect(metrics == 2)
        #expect(scheduler.runStats.errors == 6)
        #expect(scheduler.runStats.consecutiveFailures == 0)
        #expect(states.withLock { $0 }.first == .failing)
        #expect(states.withLock { $0 }.last == .ok)
    }

    @Test("a sample that outlives its timeout is cancelled and reported")
    func timeout() async {
        let clock = ManualClock()
        let bus = EventBus()
        let sub = bus.subscribe("test")
        let source = SleepingSource(clock: clock)
        let settings = SourceSettings(type: "sleepy", interval: .seconds(10), timeout: .seconds(2))
        let scheduler = Scheduler(source: source, settings: settings, clock: clock, bus: bus)
        let task = Task { await scheduler.run() }
        // The sample and the watchdog both sleep on the clock.
        while clock.sleepers < 2 { await Task.yield() }
        clock.advance(by: .seconds(2))
        await Self.settle(clock) { scheduler.runStats.errors == 1 }
        task.cancel()
        await task.value
        sub.finish()
        var errors: [String] = []
        for await event in sub where event.name == "source.error" { errors.append(event.fields["error"]?.stringValue ?? "") }
        #expect(errors == ["sample timed out after 2s"])
    }

    @Test("backoff is capped at the interval when the interval is longer than 60 s")
    func longInterval() {
        let scheduler = Scheduler(
            source: GatedSource(), settings: SourceSettings(type: "g", interval: .seconds(120)), clock: ManualClock(), bus: EventBus())
        #expect(scheduler.backoff(failures: 1) == .seconds(120))
        #expect(scheduler.backoff(failures: 40) == .seconds(120))
    }
}

/// A sample that sleeps an hour on the virtual clock, so only the timeout can end it.
struct SleepingSource: Source {
    let clock: ManualClock
    var id: String { "sleepy" }
    var sampleName: String { "sleepy.stats" }

    func sample() async throws -> Fields {
        try await clock.sleep(until: clock.now.advanced(by: .seconds(3600)), tolerance: nil)
        return [:]
    }
}
