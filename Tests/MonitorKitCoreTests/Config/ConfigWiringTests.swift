import MonitorKitCore
import Testing

/// Checks across components and on the shared keys: ids, inputs, ports, enabled, timing, buffers.
@Suite("Config wiring")
struct ConfigWiringTests {
    @Test("component ids are letters, digits, _ and -; unique across sources and sinks")
    func ids() {
        #expect(configErrors("sources:\n  \"my cache\": { type: cache }\n") == [
            #"monitord.yaml:2:3: sources.my cache: source id "my cache" may only use letters, digits, "_" and "-"; rename it"#,
        ])
        #expect(configErrors("sinks:\n  \"\": { type: log }\n") == [
            #"monitord.yaml:2:3: sinks."": a sink id cannot be empty; name it, like "cache:""#,
        ])
        #expect(configErrors("sources:\n  x: { type: cache }\nsinks:\n  x: { type: log }\n") == [
            #"monitord.yaml:4:3: sinks.x: id "x" is already used by the source at line 2; every source and sink needs its own id"#,
        ])
    }

    @Test("an input that matches no source is an error with a suggestion")
    func inputs() {
        #expect(configErrors("sources:\n  cache: { type: cache }\nsinks:\n  log: { type: log, inputs: [cahce] }\n") == [
            #"monitord.yaml:4:30: sinks.log.inputs[0]: "cahce" matches no source (did you mean "cache"?)"#,
        ])
        #expect(configErrors("sources:\n  cache: { type: cache }\nsinks:\n  log: { type: log, inputs: [db, \"web*\"] }\n") == [
            #"monitord.yaml:4:30: sinks.log.inputs[0]: "db" matches no source; sources: cache"#,
            #"monitord.yaml:4:34: sinks.log.inputs[1]: "web*" matches no source; sources: cache"#,
        ])
        #expect(configErrors("sources:\n  cache: { type: cache }\nsinks:\n  log: { type: log, inputs: cahce }\n") == [
            #"monitord.yaml:4:29: sinks.log.inputs: "cahce" matches no source (did you mean "cache"?)"#,
        ])
    }

    @Test("glob inputs match ids; a sink that publishes can be an input")
    func globInputs() throws {
        let config = try ConfigLoader.load(text: """
            sources:
              cache-a: { type: cache }
              cache-b: { type: cache }
              internal: { type: internal }
            sinks:
              alerts: { type: alerts, rules: [], inputs: ["cache-?"] }
              log: { type: log, inputs: ["cache*", alerts] }
            """, file: "m.yaml", registry: .forConfigTests, environment: [:])
        let log = config.sinks[1].settings.inputs
        #expect(log.matches("cache-a") && log.matches("cache-b") && log.matches("alerts"))
        #expect(!log.matches("internal"))
    }

    @Test("two enabled sinks on one port: the second is reported with the first's line")
    func ports() throws {
        #expect(configErrors("""
            sinks:
              api: { type: http, port: 8000 }
              web:
                type: http
                port: "${WEB_PORT:-8000}"
            """) == [#"monitord.yaml:5:11: sinks.web.port: port 8000 is already used by sink "api" (line 2); give each sink its own port"#])
        // Port 0 asks for any free port, and a disabled sink does not listen.
        _ = try ConfigLoader.load(text: """
            sinks:
              a: { type: http, port: 0 }
              b: { type: http, port: 0 }
              c: { type: http, port: 8000 }
              d: { type: http, port: 8000, enabled: false }
            """, file: "m.yaml", registry: .forConfigTests, environment: [:])
    }

    @Test("enabled: false keeps a component out but still validates it")
    func disabled() throws {
        let config = try ConfigLoader.load(text: """
            sources:
              cache: { type: cache, enabled: false }
              internal: { type: internal }
            sinks:
              terminal: { type: tui, enabled: "${TUI:-false}" }
              log: { type: log, inputs: [internal] }
            """, file: "m.yaml", registry: .forConfigTests, environment: [:])
        #expect(config.sources.map(\.id) == ["internal"])
        #expect(config.sinks.map(\.id) == ["log"])
        #expect(config.disabled == ["cache", "terminal"])

        #expect(configErrors("sinks:\n  terminal: { type: tui, enabled: false, refrsh: 1s }\n") == [
            #"monitord.yaml:2:42: sinks.terminal.refrsh: unknown field "refrsh" (did you mean "refresh"?)"#,
        ])
        #expect(configErrors("sinks:\n  terminal: { type: tiu, enabled: false }\n") == [
            #"monitord.yaml:2:21: sinks.terminal.type: unknown sink type "tiu" (did you mean "tui"?)"#,
        ])
        #expect(configErrors("sources:\n  cache: { type: cache, enabled: false }\nsinks:\n  log: { type: log, inputs: [cache] }\n") == [
            #"monitord.yaml:4:30: sinks.log.inputs[0]: "cache" is disabled (enabled: false); enable it or remove it from inputs"#,
        ])
    }

    @Test("timeout may not exceed the interval, jitter must stay below it")
    func timing() {
        #expect(configErrors("sources:\n  cache: { type: cache, timeout: 10s }\n") == [
            "monitord.yaml:2:34: sources.cache.timeout: timeout (10s) cannot be longer than the interval (5s, the default): "
                + "a sample must end before the next one is due; lower timeout or raise interval",
        ])
        #expect(configErrors("sources:\n  cache: { type: cache, interval: 1s, jitter: 1s }\n") == [
            "monitord.yaml:2:47: sources.cache.jitter: jitter (1s) must be shorter than the interval (1s); lower jitter or raise interval",
        ])
        #expect(configErrors("sources:\n  cache: { type: cache, interval: 0s }\n") == [
            "monitord.yaml:2:35: sources.cache.interval: interval must be at least 10ms, found 0s; shorter ones only keep a core busy",
        ])
        #expect(configErrors("sources:\n  cache: { type: cache, interval: 1ns }\n") == [
            "monitord.yaml:2:35: sources.cache.interval: interval must be at least 10ms, found 1ns; shorter ones only keep a core busy",
        ])
    }

    @Test("buffer: when_full lists the policies, max_events must be positive")
    func buffer() {
        #expect(configErrors("sinks:\n  log: { type: log, buffer: { when_full: drop_olest, max_events: 0 } }\n") == [
            "monitord.yaml:2:66: sinks.log.buffer.max_events: max_events must be between 1 and 10,000,000, found 0",
        ])
        #expect(configErrors("sinks:\n  log: { type: log, buffer: { when_full: drop_olest } }\n") == [
            #"monitord.yaml:2:42: sinks.log.buffer.when_full: expected one of drop_oldest, drop_newest, block, found "drop_olest" (did you mean "drop_oldest"?)"#,
        ])
    }

    @Test("each shared key is checked on its own: a bad buffer does not hide a bad input")
    func sharedKeysIndependent() {
        #expect(configErrors("""
            sources:
              cache: { type: cache, interval: soon, timeout: never }
            sinks:
              log: { type: log, inputs: [cahce], buffer: { when_full: drop_olest }, enabled: maybe }
            """) == [
            #"monitord.yaml:2:35: sources.cache.interval: expected a duration, found "soon"; write a duration like 250ms, 5s, 1.5s, 10m, 1h or 2h30m, or a number of seconds"#,
            #"monitord.yaml:2:50: sources.cache.timeout: expected a duration, found "never"; write a duration like 250ms, 5s, 1.5s, 10m, 1h or 2h30m, or a number of seconds"#,
            #"monitord.yaml:4:30: sinks.log.inputs[0]: "cahce" matches no source (did you mean "cache"?)"#,
            #"monitord.yaml:4:59: sinks.log.buffer.when_full: expected one of drop_oldest, drop_newest, block, found "drop_olest" (did you mean "drop_oldest"?)"#,
            #"monitord.yaml:4:82: sinks.log.enabled: expected true or false, found "maybe""#,
        ])
    }
}
