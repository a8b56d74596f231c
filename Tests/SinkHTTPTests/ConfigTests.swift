import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct ConfigTests {
    func decode(_ yaml: String, environment: [String: String] = [:]) throws -> HTTPSinkConfig {
        try YAMLDecoder().decode(HTTPSinkConfig.self, from: yaml, file: "monitord.yaml", environment: environment)
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try decode(yaml)
            return ""
        } catch {
            return String(describing: error)
        }
    }

    @Test func defaultsAreLoopbackPort8000AndOpenReads() throws {
        let config = try decode("{}")
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8000)
        #expect(config.authToken == nil)
        #expect(config.protectReads == false)
        #expect(config.maxBodySize == 64 << 20)
        #expect(config.corsOrigins == [])
        #expect(config.dashboard == true)
        #expect(config.eventsHeartbeat == .seconds(15))
        #expect(config.allowedHosts == [])
        #expect(config.allowUnauthenticated == false)
        #expect(config.idleTimeout == .seconds(60))
        #expect(config.requestTimeout == .seconds(30))
        #expect(config.maxConnections == 4096)
        #expect(config.maxEventStreams == 256)
        #expect(config.listenAddress?.host == "127.0.0.1")
        #expect(config.listenAddress?.port == 8000)
        #expect(HTTPSinkConfig.type == "http")
    }

    @Test func everyKeyDecodes() throws {
        let config = try decode("""
            host: 0.0.0.0
            port: "${API_PORT:-9001}"
            auth_token: ${TOKEN}
            protect_reads: true
            max_body_size: 1MiB
            cors_origins: ["https://a.example", "*"]
            dashboard: false
            events_heartbeat: 250ms
            allowed_hosts: [Cache.Internal, "*.svc.cluster.local"]
            allow_unauthenticated: true
            idle_timeout: 5m
            request_timeout: 10s
            max_connections: 100
            max_event_streams: 8
            """, environment: ["TOKEN": "abc"])
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9001)
        #expect(config.authToken == "abc")
        #expect(config.protectReads)
        #expect(config.maxBodySize == 1 << 20)
        #expect(config.corsOrigins == ["https://a.example", "*"])
        #expect(!config.dashboard)
        #expect(config.eventsHeartbeat == .milliseconds(250))
        #expect(config.allowedHosts == ["cache.internal", "*.svc.cluster.local"])
        #expect(config.allowUnauthenticated)
        #expect(config.idleTimeout == .seconds(300))
        #expect(config.requestTimeout == .seconds(10))
        #expect(config.maxConnections == 100)
        #expect(config.maxEventStreams == 8)
    }

    @Test func anEmptyTokenMeansNoToken() throws {
        #expect(try decode("auth_token: \"${TOKEN:-}\"").authToken == nil)
    }

    @Test func portZeroClaimsNoAddress() throws {
        #expect(try decode("port: 0").listenAddress == nil)
    }

    @Test func badValuesSayHowToFixThem() {
        #expect(error("port: 70000").contains("port must be between 0 and 65535, found 70000"))
        #expect(error("protect_reads: true").contains("protect_reads needs auth_token"))
        #expect(error("cors_origins: [dash.example]").contains("cors_origins entry \"dash.example\" is not an origin"))
        #expect(error("max_body_size: 0").contains("max_body_size must be between 1 byte and 4GiB, found 0 bytes"))
        #expect(error("events_heartbeat: 0s").contains("events_heartbeat must be between 10ms and 1h, found 0s"))
        #expect(error("host: \"\"").contains("host is empty"))
    }

    @Test func everyNumericKeyHasItsRange() {
        #expect(error("port: -1").contains("port must be between 0 and 65535, found -1"))
        #expect(error("max_body_size: 5GiB").contains("max_body_size must be between 1 byte and 4GiB, found 5GiB"))
        #expect(error("events_heartbeat: 2h").contains("events_heartbeat must be between 10ms and 1h, found 2h"))
        #expect(error("idle_timeout: 0s").contains("idle_timeout must be between 100ms and 1d, found 0s"))
        #expect(error("request_timeout: 2h").contains("request_timeout must be between 100ms and 1h, found 2h"))
        #expect(error("max_connections: 0").contains("max_connections must be between 1 and 1,048,576, found 0"))
        #expect(error("max_event_streams: 100000").contains("max_event_streams must be between 1 and 65536, found 100,000"))
        #expect(error("max_connections: 9223372036854775807").contains("max_connections must be between 1 and 1,048,576"))
    }

    @Test func anAllowedHostIsANameAlone() {
        #expect(error("allowed_hosts: [\"cache.internal:8000\"]").contains("allowed_hosts entry \"cache.internal:8000\" has a port"))
        #expect(error("allowed_hosts: [\"https://cache.internal\"]").contains("is not a host name"))
        #expect(error("allowed_hosts: [\"\"]").contains("allowed_hosts entries cannot be empty"))
    }

    @Test func anOpenAddressNeedsATokenOrAnExplicitOptOut() throws {
        let refused = error("host: 0.0.0.0")
        #expect(refused.contains("monitord.yaml:1:7: host: host 0.0.0.0 accepts connections from other machines"))
        #expect(refused.contains("allow_unauthenticated: true"))
        #expect(error("host: 192.168.1.20").contains("auth_token"))
        #expect(error("host: \"::\"").contains("auth_token"))
        #expect(try decode("host: 0.0.0.0\nallow_unauthenticated: true").host == "0.0.0.0")
        #expect(try decode("host: 0.0.0.0\nauth_token: t").authToken == "t")
        for loopback in ["127.0.0.1", "127.0.0.2", "localhost", "::1"] {
            #expect(try decode("host: \"\(loopback)\"").host == loopback)
        }
        #expect(try decode("host: \"[::1]\"").host == "::1")
    }

    /// Found by attack: each of these passed validate and then stopped run, or opened the cache to any page.
    @Test func whatRunWouldRefuseValidateRefusesFirst() {
        #expect(error("host: nonsense host").contains("host \"nonsense host\" is not an address this machine can bind"))
        #expect(error("host: no-such-host.invalid").contains("is not an address this machine can bind"))
        #expect(error("max_connections: 8\nmax_event_streams: 8").contains("max_event_streams (8) must be at most half of max_connections (8)"))
        #expect(error("cors_origins: [\"*\"]").contains("cors_origins: \"*\" without auth_token lets any web page"))
        #expect(error("auth_token: \" \"").contains("auth_token contains spaces or control characters"))
        #expect(error("auth_token: \"two words\"").contains("auth_token contains spaces"))
    }

    @Test func anyOriginNeedsATokenOrAnExplicitOptOut() throws {
        #expect(try decode("cors_origins: [\"*\"]\nauth_token: t0ken").corsOrigins == ["*"])
        #expect(try decode("cors_origins: [\"*\"]\nallow_unauthenticated: true").corsOrigins == ["*"])
        #expect(try decode("cors_origins: [\"https://dash.example\"]").corsOrigins == ["https://dash.example"])
    }

    @Test func anUnknownKeyIsRefusedWithASuggestion() {
        #expect(error("prot: 80").contains("did you mean \"port\""))
    }
}
