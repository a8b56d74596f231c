import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct AuthTests {
    static let token = "s3cret-token"

    @Test func mutatingRoutesNeedTheBearerToken() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, authToken: Self.token)) { api async throws in
            let missing = try await api.request("PUT", "/api/cache/entries/k", body: [1])
            #expect(missing.status == 401)
            #expect(missing.errorCode == "unauthorized")
            #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
            #expect(missing.text.contains("Authorization: Bearer <token>"))

            let wrong = try await api.request("DELETE", "/api/cache/clear", headers: [("Authorization", "Bearer s3cret-tokem")])
            #expect(wrong.status == 401)
            #expect(wrong.text.contains("does not match"))
            let prefix = try await api.request("DELETE", "/api/cache/clear", headers: [("Authorization", "Bearer s3cret")])
            #expect(prefix.status == 401)
            let basic = try await api.request("DELETE", "/api/cache/clear", headers: [("Authorization", "Basic czNjcmV0LXRva2Vu")])
            #expect(basic.status == 401)
            #expect(try api.cache?.get("k") == nil)

            let right = try await api.request("PUT", "/api/cache/entries/k", headers: [("Authorization", "Bearer \(Self.token)")], body: [1])
            #expect(right.status == 200)
            let lowercase = try await api.request("DELETE", "/api/cache/entries/k", headers: [("Authorization", "bearer \(Self.token)")])
            #expect(lowercase.status == 200)
        }
    }

    @Test func readsStayOpenByDefault() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, authToken: Self.token)) { api async throws in
            #expect(try await api.request("GET", "/api/cache/stats").status == 200)
            #expect(try await api.request("GET", "/api/cache/entries/none").status == 404)
            #expect(try await api.request("GET", "/metrics").status == 200)
        }
    }

    @Test func protectReadsClosesReadsButNotProbesOrThePage() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, authToken: Self.token, protectReads: true)) { api async throws in
            #expect(try await api.request("GET", "/api/cache/stats").status == 401)
            #expect(try await api.request("GET", "/metrics").status == 401)
            #expect(try await api.request("GET", "/api/cache/stats", headers: [("Authorization", "Bearer \(Self.token)")]).status == 200)
            #expect(try await api.request("GET", "/health").status == 200)
            #expect(try await api.request("GET", "/").status == 200)
            #expect(try await api.request("GET", "/openapi.yaml").status == 200)
        }
    }

    @Test func theEventStreamTakesTheTokenAsAQueryParameterForEventSource() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, authToken: Self.token, protectReads: true)) { api async throws in
            #expect(try await api.request("GET", "/api/events").status == 401)
            #expect(try await api.request("GET", "/api/events?access_token=wrong").status == 401)
            let client = EventStreamClient(url: api.base + "/api/events?access_token=\(Self.token)")
            try await waitFor("the stream to open") { client.text.contains(": connected") }
            #expect(client.statusCode == 200)
            await client.disconnect()
            // Only the event stream takes it: other reads need the header.
            #expect(try await api.request("GET", "/api/cache/stats?access_token=\(Self.token)").status == 401)
        }
    }

    @Test func theHeaderMustBeBearerAndTheWholeToken() {
        let token = BearerToken("abc")
        #expect(token.matches(authorization: "Bearer abc"))
        #expect(token.matches(authorization: "BEARER abc"))
        #expect(!token.matches(authorization: "Bearer abc "))
        #expect(!token.matches(authorization: "Bearer"))
        #expect(!token.matches(authorization: "Token abc"))
    }

    @Test func constantTimeComparisonAgreesWithEquality() {
        let token = Array("abcdef".utf8)
        #expect(BearerToken.constantTimeEqual(Array("abcdef".utf8)[...], token))
        #expect(!BearerToken.constantTimeEqual(Array("abcdeg".utf8)[...], token))
        #expect(!BearerToken.constantTimeEqual(Array("abcde".utf8)[...], token))
        #expect(!BearerToken.constantTimeEqual(Array("abcdefg".utf8)[...], token))
        #expect(!BearerToken.constantTimeEqual([][...], token))
        // Lengths that differ by a multiple of 256 must not look equal.
        let long = Array(repeating: UInt8(ascii: "a"), count: 256)
        #expect(!BearerToken.constantTimeEqual(long[...], []))
    }
}
