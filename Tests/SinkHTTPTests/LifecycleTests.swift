import Logging
import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct LifecycleTests {
    @Test func aPortInUseFailsWithOneLineNamingHostAndPort() async throws {
        try await SinkHarness.with { api async throws in
            let runtime = RuntimeContext(sources: [])
            let config = HTTPSinkConfig(port: api.port)
            let sink = try #require(try await config.build(context: SinkBuildContext(
                id: "second", logger: Logger(label: "test"), emitter: Emitter(source: "second", bus: runtime.bus), runtime: runtime))
                as? HTTPSink)
            let subscription = runtime.bus.subscribe("second")
            do {
                try await sink.run(events: subscription)
                Issue.record("a second server on port \(api.port) should not start")
            } catch {
                let line = String(describing: error)
                #expect(line == "cannot listen on 127.0.0.1:\(api.port): address already in use (another process is listening there; pick another port)")
                #expect(!line.contains("\n"))
            }
            // The first server is unaffected.
            #expect(try await api.request("GET", "/health").status == 200)
        }
    }

    @Test func theServerStopsWhenTheSubscriptionEnds() async throws {
        let port = try await SinkHarness.with { api async throws in
            #expect(try await api.request("GET", "/health").status == 200)
            return api.port
        }
        // A raw connect: AsyncHTTPClient would retry a refused connection until its deadline.
        await #expect(throws: (any Error).self) {
            _ = try await RawHTTP.send(port: port, method: "GET", path: "/health")
        }
    }

    @Test func cancellingRunStopsTheServer() async throws {
        let runtime = RuntimeContext(sources: [])
        let sink = try #require(try await HTTPSinkConfig(port: 0).build(context: SinkBuildContext(
            id: "api", logger: Logger(label: "test"), emitter: Emitter(source: "api", bus: runtime.bus), runtime: runtime))
            as? HTTPSink)
        let subscription = runtime.bus.subscribe("api")
        let task = Task { try await sink.run(events: subscription) }
        try await waitFor("the sink to listen") { sink.boundPort != nil }
        let port = try #require(sink.boundPort)
        task.cancel()
        _ = await task.result
        await #expect(throws: (any Error).self) {
            _ = try await RawHTTP.send(port: port, method: "GET", path: "/health")
        }
    }
}
