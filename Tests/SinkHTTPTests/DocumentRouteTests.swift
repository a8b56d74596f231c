import Testing

@testable import SinkHTTP

@Suite struct DocumentRouteTests {
    @Test func theDashboardIsServedWithAStrongETag() async throws {
        try await SinkHarness.with { api async throws in
            let page = try await api.request("GET", "/")
            #expect(page.status == 200)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.header("cache-control") == "no-cache")
            #expect(page.body == PackageResources.index_html)
            let etag = try #require(page.header("etag"))
            #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
            let again = try await api.request("GET", "/", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let stale = try await api.request("GET", "/", headers: [("If-None-Match", "\"0000000000000000\"")])
            #expect(stale.status == 200)
        }
    }

    @Test func theDashboardCanBeTurnedOff() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, dashboard: false)) { api async throws in
            let page = try await api.request("GET", "/")
            #expect(page.status == 404)
            #expect(page.errorCode == "dashboard_disabled")
        }
    }

    @Test func theOpenAPIDocumentIsServed() async throws {
        try await SinkHarness.with { api async throws in
            let document = try await api.request("GET", "/openapi.yaml")
            #expect(document.status == 200)
            #expect(document.header("content-type") == "application/yaml; charset=utf-8")
            #expect(document.text.hasPrefix("openapi: 3.1"))
            for path in ["/api/{source}/stats:", "/api/{source}/entries/{key}:", "/metrics:", "/api/events:", "/health:"] {
                #expect(document.text.contains(path), "the document should describe \(path)")
            }
        }
    }

    @Test func anUnknownAssetIs404() async throws {
        try await SinkHarness.with { api async throws in
            #expect(try await api.request("GET", "/assets/nope.js").status == 404)
        }
    }
}
