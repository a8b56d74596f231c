import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct StatusRouteTests {
    @Test func healthListsEveryComponentAndIs503WhileASourceFails() async throws {
        try await SinkHarness.with { api async throws in
            api.runtime.setStatus("cache", role: .source, type: "cache", state: .ok)
            api.runtime.setStatus("api", role: .sink, type: "http", state: .ok)
            let healthy = try await api.json("/health")
            #expect(healthy["status"] == .string("healthy"))
            #expect(healthy["components"]?.keys == ["cache", "api"])
            #expect(healthy["components"]?["cache"]?["state"] == .string("ok"))
            #expect(healthy["components"]?["api"]?["role"] == .string("sink"))

            api.runtime.setStatus("cache", role: .source, type: "cache", state: .failing, message: "disk full")
            let failing = try await api.request("GET", "/health")
            #expect(failing.status == 503)
            let body = try failing.json()
            #expect(body["status"] == .string("unhealthy"))
            #expect(body["failing"] == .list(["cache"]))
            #expect(body["components"]?["cache"]?["message"] == .string("disk full"))
        }
    }

    @Test func responsesCarryAnHTTPDate() async throws {
        try await SinkHarness.with { api async throws in
            let date = try #require(try await api.request("GET", "/health").header("date"))
            // `Sun, 06 Nov 1994 08:49:37 GMT`
            #expect(date.count == 29)
            #expect(date.hasSuffix(" GMT"))
            #expect(HTTPDateHeader.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        }
    }

    @Test func aFailingSinkDoesNotMakeTheDaemonUnhealthy() async throws {
        try await SinkHarness.with { api async throws in
            api.runtime.setStatus("log", role: .sink, type: "log", state: .failing, message: "EPIPE")
            #expect(try await api.request("GET", "/health").status == 200)
        }
    }

    @Test func sourcesListTypesActionsStoresAndHealth() async throws {
        try await SinkHarness.with(extraSources: [FailingSource(id: "flaky")], types: ["flaky": "test"]) { api async throws in
            api.runtime.setStatus("cache", role: .source, type: "cache", state: .ok)
            api.runtime.setStatus("api", role: .sink, type: "http", state: .ok)
            let body = try await api.json("/api/sources")
            let sources = body["sources"]?.listValue ?? []
            #expect(sources.map { $0["id"] } == [.string("cache"), .string("flaky")])
            #expect(sources.first?["actions"] == .list(["stats", "clear"]))
            #expect(sources.first?["store"] == .bool(true))
            #expect(sources.first?["state"] == .string("ok"))
            #expect(sources.last?["type"] == .string("test"))
            #expect(sources.last?["store"] == .bool(false))
            #expect(sources.last?["state"] == .string("starting"))
            #expect(body["sinks"]?.listValue?.map { $0["id"] } == [.string("api")])
        }
    }

    @Test func alertsListWhatIsPendingOrFiringFromTheSubscription() async throws {
        try await SinkHarness.with { api async throws in
            #expect(try await api.json("/api/alerts")["alerts"] == .list([]))
            func alert(_ name: String, _ state: String) -> Event {
                Event(source: "alerts", name: "alert", kind: .alert, fields: [
                    "alertname": .string(name), "state": .string(state), "severity": "warning",
                    "fingerprint": .string("fp-" + name),
                ])
            }
            await api.runtime.bus.publish(alert("LowHitRate", "pending"))
            await api.runtime.bus.publish(alert("CacheTooLarge", "firing"))
            try await waitFor("two active alerts") {
                try await api.json("/api/alerts")["count"] == .int(2)
            }
            await api.runtime.bus.publish(alert("LowHitRate", "firing"))
            await api.runtime.bus.publish(alert("CacheTooLarge", "resolved"))
            try await waitFor("one firing alert") {
                let alerts = try await api.json("/api/alerts")["alerts"]?.listValue ?? []
                return alerts.count == 1 && alerts[0]["state"] == .string("firing") && alerts[0]["alertname"] == .string("LowHitRate")
            }
        }
    }

    @Test func anUnknownRouteIsAJSON404() async throws {
        try await SinkHarness.with { api async throws in
            let response = try await api.request("GET", "/api/cache/nothing-here")
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
            #expect(response.text.contains("no route for GET /api/cache/nothing-here"))
        }
    }
}
