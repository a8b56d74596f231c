import CacheSource
import Foundation
import Logging
import MonitorKitCore
import Synchronization
import Testing

@testable import SinkHTTP

/// A running HTTP sink on 127.0.0.1 (a free port) over a real runtime context, with a real cache
/// in a scratch directory unless the test brings its own sources.
final class SinkHarness: Sendable {
    let runtime: RuntimeContext
    let sink: HTTPSink
    let subscription: Subscription
    let port: Int
    let cache: CacheManager?
    let clock: TestClock
    private let task: Task<Void, any Error>
    private let directory: URL

    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts the sink, runs `body`, then stops the sink and removes the scratch directory.
    static func with<T>(
        _ config: HTTPSinkConfig = HTTPSinkConfig(port: 0), maxMemoryItems: Int = 200, maxMemoryValueBytes: Int = 8 << 20,
        extraSources: [any Source] = [], types: [String: String] = [:],
        _ body: (SinkHarness) async throws -> T
    ) async throws -> T {
        let harness = try await SinkHarness(
            config: config, maxMemoryItems: maxMemoryItems, maxMemoryValueBytes: maxMemoryValueBytes, extraSources: extraSources, types: types)
        do {
            let result = try await body(harness)
            try await harness.stop()
            return result
        } catch {
            try? await harness.stop()
            throw error
        }
    }

    private init(config: HTTPSinkConfig, maxMemoryItems: Int, maxMemoryValueBytes: Int, extraSources: [any Source], types: [String: String]) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sinkhttp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = TestClock()
        self.clock = clock
        let cache = try CacheManager(
            directory: directory.appendingPathComponent("cache").path, maxMemoryItems: maxMemoryItems,
            maxMemoryValueBytes: maxMemoryValueBytes, defaultTTL: .seconds(3600), now: { clock.now })
        self.cache = cache
        let sources: [any Source] = [CacheSource(id: "cache", manager: cache)] + extraSources
        var allTypes = ["cache": "cache"]
        allTypes.merge(types) { $1 }
        let runtime = RuntimeContext(sources: sources, types: allTypes, metrics: ["cache": CacheStatistics.descriptors])
        self.runtime = runtime
        let built = try await config.build(context: SinkBuildContext(
            id: "api", logger: Logger(label: "test.api"), emitter: Emitter(source: "api", bus: runtime.bus), runtime: runtime))
        let sink = try #require(built as? HTTPSink)
        self.sink = sink
        let subscription = runtime.bus.subscribe("api")
        self.subscription = subscription
        let failure = FailureNote()
        task = Task {
            do {
                try await sink.run(events: subscription)
            } catch {
                failure.record(error)
                throw error
            }
        }
        var bound: Int?
        try await waitFor("the sink to listen") {
            bound = sink.boundPort
            if bound == nil, let message = failure.message { throw HarnessError("the sink failed to start: \(message)") }
            return bound != nil
        }
        port = bound ?? 0
    }

    /// Ends the subscription (as graceful shutdown does) and waits for the server to stop.
    func stop() async throws {
        subscription.finish()
        try await task.value
        try? FileManager.default.removeItem(at: directory)
    }

    func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> TestResponse {
        try await TestHTTP.request(method, base + path, headers: headers, body: body)
    }

    /// The JSON object of a successful GET.
    func json(_ path: String, headers: [(String, String)] = []) async throws -> Value {
        let response = try await request("GET", path, headers: headers)
        #expect(response.status == 200, "GET \(path): \(response.text)")
        return try response.json()
    }
}

/// A wall clock tests move by hand (the cache's TTLs); it starts at the real time.
final class TestClock: Sendable {
    private let seconds = Mutex(Date().timeIntervalSince1970)
    var now: Double { seconds.withLock { $0 } }
    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
}

/// The error a background task ended with, as text.
final class FailureNote: Sendable {
    private let text = Mutex<String?>(nil)
    var message: String? { text.withLock { $0 } }
    func record(_ error: any Error) { text.withLock { $0 = String(describing: error) } }
}

/// Polls `condition` every 10 ms until it holds, or fails after `timeout` naming what was awaited.
func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw HarnessError("timed out after \(timeout) waiting for \(what)")
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
