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
            """, environment: ["TOKEN": "abc"])
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9001)
        #expect(config.authToken == "abc")
        #expect(config.protectReads)
        #expect(config.maxBodySize == 1 << 20)
        #expect(config.corsOrigins == ["https://a.example", "*"])
        #expect(!config.dashboard)
        #expect(config.eventsHeartbeat == .milliseconds(250))
    }

    @Test func anEmptyTokenMeansNoToken() throws {
        #expect(try decode("auth_token: \"${TOKEN:-}\"").authToken == nil)
    }

    @Test func portZeroClaimsNoAddress() throws {
        #expect(try decode("port: 0").listenAddress == nil)
    }

    @Test func badValuesSayHowToFixThem() {
        #expect(error("port: 70000").contains("port must be between 1 and 65535 (0 picks a free port), found 70000"))
        #expect(error("protect_reads: true").contains("protect_reads needs auth_token"))
        #expect(error("cors_origins: [dash.example]").contains("cors_origins entry \"dash.example\" is not an origin"))
        #expect(error("max_body_size: 0").contains("max_body_size must be at least 1 byte"))
        #expect(error("events_heartbeat: 0s").contains("events_heartbeat must be longer than 0s"))
        #expect(error("host: \"\"").contains("host is empty"))
    }

    @Test func anUnknownKeyIsRefusedWithASuggestion() {
        #expect(error("prot: 80").contains("did you mean \"port\""))
    }
}
