import Synchronization

/// Samples one source on its schedule and publishes each sample as a `metric` event.
///
/// Ticks never overlap: the next tick is planned only after the sample returns, and ticks that
/// passed meanwhile are skipped and counted as overruns. A failing sample emits `source.error`,
/// marks the source `failing` and backs off exponentially (capped at 60 s, or the interval when
/// that is longer); the next success recovers it.
public final class Scheduler<C: Clock>: Sendable where C.Duration == Duration {
    /// The source sampled.
    public let source: any Source
    /// Its interval, jitter and timeout.
    public let settings: SourceSettings
    /// The clock ticks are measured on (a manual one in tests).
    public let clock: C
    let bus: EventBus
    let stats: Mutex<SourceRunStats>
    let onStateChange: @Sendable (HealthState, String?) -> Void
    let onSample: @Sendable (Event) -> Void

    /// The longest wait between two attempts of a failing source.
    public static var maximumBackoff: Duration { .seconds(60) }

    /// A scheduler that samples `source` as `settings` say and publishes to `bus`.
    public init(
        source: any Source, settings: SourceSettings, clock: C, bus: EventBus,
        onStateChange: @escaping @Sendable (HealthState, String?) -> Void = { _, _ in },
        onSample: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.source = source
        self.settings = settings
        self.clock = clock
        self.bus = bus
        self.stats = Mutex(SourceRunStats())
        self.onStateChange = onStateChange
        self.onSample = onSample
    }

    /// The scheduler's counters now.
    public var runStats: SourceRunStats { stats.withLock { $0 } }

    /// The delay before the next attempt after `failures` consecutive failures.
    public func backoff(failures: Int) -> Duration {
        let cap = max(Self.maximumBackoff, settings.interval)
        var delay = settings.interval
        for _ in 0..<min(failures, 32) {
            delay = delay * 2
            if delay >= cap { return cap }
        }
        return delay
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var next = clock.now
        while !Task.isCancelled {
            let jitter = randomJitter()
            do {
                try await clock.sleep(until: next.advanced(by: jitter), tolerance: nil)
            } catch {
                return
            }
            let started = clock.now
            let outcome = await sampleOnce()
            let finished = clock.now
            let elapsed = started.duration(to: finished)
            if Task.isCancelled { return }
            switch outcome {
            case .success(let fields):
                let event = Event(source: source.id, name: source.sampleName, kind: .metric, fields: fields)
                let recovered = stats.withLock { s -> Bool in
                    s.samples += 1
                    s.lastDuration = elapsed
                    s.lastSuccess = event.time
                    defer { s.consecutiveFailures = 0; s.lastError = nil }
                    return s.consecutiveFailures > 0 || s.samples == 1
                }
                if recovered { onStateChange(.ok, nil) }
                onSample(event)
                await bus.publish(event)
                next = next.advanced(by: settings.interval)
                var skipped = 0
                while next <= finished {
                    next = next.advanced(by: settings.interval)
                    skipped += 1
                }
                if skipped > 0 { stats.withLock { $0.overruns += skipped } }
            case .failure(let message):
                let failures = stats.withLock { s -> Int in
                    s.errors += 1
                    s.consecutiveFailures += 1
                    s.lastDuration = elapsed
                    s.lastError = message
                    return s.consecutiveFailures
                }
                let delay = backoff(failures: failures)
                onStateChange(.failing, message)
                await bus.publish(Event(
                    source: source.id, name: "source.error", kind: .event,
                    fields: [
                        "error": .string(message),
                        "consecutive_failures": .int(failures),
                        "retry_in_seconds": .double(delay.seconds),
                    ]))
                next = finished.advanced(by: delay)
            }
        }
    }

    private enum Outcome {
        case success(Fields)
        case failure(String)
    }

    /// One sample, cancelled when it outlives `timeout` (cooperatively: a sample that ignores
    /// cancellation delays the schedule, which then counts overruns, but never overlaps itself).
    private func sampleOnce() async -> Outcome {
        let source = self.source
        let sampling = Task { try await source.sample() }
        let timeout = settings.timeout
        let clock = self.clock
        let timedOut = Mutex(false)
        let watchdog = Task {
            do {
                try await clock.sleep(until: clock.now.advanced(by: timeout), tolerance: nil)
                timedOut.withLock { $0 = true }
                sampling.cancel()
            } catch {}
        }
        let result = await withTaskCancellationHandler {
            await sampling.result
        } onCancel: {
            sampling.cancel()
        }
        watchdog.cancel()
        switch result {
        case .success(let fields):
            return .success(fields)
        case .failure(let error):
            if timedOut.withLock({ $0 }) {
                return .failure("sample timed out after \(timeout.humanReadable)")
            }
            return .failure(String(describing: error))
        }
    }

    private func randomJitter() -> Duration {
        guard settings.jitter > .zero else { return .zero }
        let nanos = settings.jitter.nanoseconds
        return .nanoseconds(Int64.random(in: 0...nanos))
    }
}
