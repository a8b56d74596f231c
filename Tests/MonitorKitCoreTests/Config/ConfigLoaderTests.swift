import MonitorKitCore
import Testing

@Suite("Config loader")
struct ConfigLoaderTests {
    /// A config as an operator writes one: every component type, anchors, a merge key and a disabled sink.
    static let realistic = """
        monitord:
          log_level: debug
          history: 360
          shutdown_timeout: 15s

        sources:
          cache:
            type: cache
            interval: 2s
            jitter: 500ms
            cache_dir: ${CACHE_DIR:-cache}
            max_memory_size: ${MAX_MEMORY_SIZE:-200}   # items
            default_ttl: ${DEFAULT_TTL:-3600}           # seconds
            max_disk_size: 1GiB
          internal: { type: internal, interval: 10s, timeout: 1s }
        sinks:
          api:      { type: http, host: "${API_HOST:-127.0.0.1}", port: "${API_PORT:-8000}", auth_token: "${TOKEN:-}" }
          log:      { type: log, path: "-", inputs: [cache, alerts], buffer: &limits { max_events: 250 } }
          terminal: { type: tui, enabled: false }
          alerts:
            type: alerts
            inputs: ["cach*"]
            buffer: { <<: *limits, when_full: drop_newest }
            rules:
              - { name: LowHitRate, metric: cache.recent_hit_rate, below: 0.70, clear_above: 0.75, for: 5m, severity: warning }
              - { name: CacheTooLarge, metric: cache.cache_size_mb, above: 500, severity: critical, labels: { team: media } }
        """

    @Test("a realistic config loads: settings, sources and sinks in file order, plugin configs decoded")
    func realisticConfig() throws {
        let config = try ConfigLoader.load(
            text: Self.realistic, file: "monitord.yaml", registry: .forConfigTests,
            environment: ["API_PORT": "9100", "MAX_MEMORY_SIZE": "50"])

        #expect(config.file == "monitord.yaml")
        #expect(config.settings.logLevel == .debug)
        #expect(config.settings.history == 360)
        #expect(config.settings.shutdownTimeout == .seconds(15))

        #expect(config.sources.map(\.id) == ["cache", "internal"])
        #expect(config.sources[0].settings == SourceSettings(type: "cache", interval: .seconds(2), jitter: .milliseconds(500)))
        #expect(config.sources[0].settings.timeout == .seconds(2), "timeout defaults to the interval")
        let cache = try #require(config.sources[0].config as? TestCacheConfig)
        #expect(cache.cacheDir == "cache")
        #expect(cache.maxMemorySize == 50)
        #expect(cache.defaultTTL == .seconds(3600))
        #expect(cache.maxDiskSize == ByteSize(bytes: 1 << 30))
        #expect(config.sources[1].settings.timeout == .seconds(1))

        #expect(config.sinks.map(\.id) == ["api", "log", "alerts"])
        #expect(config.disabled == ["terminal"])
        let api = try #require(config.sinks[0].config as? TestHTTPConfig)
        #expect(api.host == "127.0.0.1")
        #expect(api.port == 9100)
        #expect(api.authToken == "")
        #expect(config.sinks[0].settings.inputs == .all)
        #expect(config.sinks[0].settings.buffer == BufferPolicy(maxEvents: 1000, whenFull: .dropOldest))

        #expect(config.sinks[1].settings.inputs.patterns == ["cache", "alerts"])
        #expect(config.sinks[1].settings.buffer == BufferPolicy(maxEvents: 250, whenFull: .block),
                "when_full comes from the plugin's default when the file gives only max_events")

        let alerts = try #require(config.sinks[2].config as? TestAlertsConfig)
        #expect(config.sinks[2].settings.buffer == BufferPolicy(maxEvents: 250, whenFull: .dropNewest))
        #expect(alerts.rules.map(\.name) == ["LowHitRate", "CacheTooLarge"])
        #expect(alerts.rules[0].for == .seconds(300))
        #expect(alerts.rules[0].below == 0.70)
        #expect(alerts.rules[1].severity == .critical)
        #expect(alerts.rules[1].labels == ["team": "media"])
    }

    @Test("an empty file, or one that declares no component, is refused: a reload of it would stop everything")
    func nothingToRun() {
        for text in ["", "# only a comment\n", "monitord: { log_level: debug }\n", "sources: {}\nsinks: {}\n"] {
            #expect(configErrors(text).map { $0.contains("declares no source and no sink, so nothing would run") } == [true], "\(text)")
        }
        #expect(configErrors("sinks:\n  log: { type: log, enabled: false }\n") == ["<loaded without errors>"], "everything disabled on purpose")
    }

    @Test("defaults: bare sections, a source with only its type")
    func defaults() throws {
        let minimal = try ConfigLoader.load(
            text: "monitord:\nsources:\n  cache: { type: cache }\nsinks:\n  log: { type: log }\n",
            file: "m.yaml", registry: .forConfigTests, environment: [:])
        #expect(minimal.sources[0].settings == SourceSettings(type: "cache", interval: .seconds(5), jitter: .zero, timeout: .seconds(5)))
        #expect(minimal.sinks[0].settings.buffer == BufferPolicy(maxEvents: 5000, whenFull: .block))
        #expect(minimal.sinks[0].settings.inputs.matchesAll)
    }

    @Test("a misspelled component key is reported with a suggestion; shared keys are not unknown")
    func misspelledKey() {
        #expect(configErrors("""
            sources:
              cache:
                type: cache
                interval: 5s
                cache_dri: /tmp/c
            """) == [#"monitord.yaml:5:5: sources.cache.cache_dri: unknown field "cache_dri" (did you mean "cache_dir"?)"#])
        #expect(configErrors("sources:\n  cache: { type: cache, intervl: 5s }\n") == [
            #"monitord.yaml:2:25: sources.cache.intervl: unknown field "intervl" (did you mean "interval"?)"#,
        ])
    }

    @Test("a bad duration names the formats")
    func badDuration() {
        #expect(configErrors("sources:\n  cache: { type: cache, interval: 5 minutes }\n") == [
            #"monitord.yaml:2:35: sources.cache.interval: unknown duration unit "minutes" in "5 minutes"; units are ns, us, ms, s, m, h, d"#,
        ])
        #expect(configErrors("sources:\n  cache: { type: cache, default_ttl: soon }\n") == [
            #"monitord.yaml:2:38: sources.cache.default_ttl: expected a duration, found "soon"; write a duration like 250ms, 5s, 1.5s, 10m, 1h or 2h30m, or a number of seconds"#,
        ])
    }

    @Test("a bad size names the formats")
    func badSize() {
        #expect(configErrors("sources:\n  cache: { type: cache, max_disk_size: 1 gigabyte }\n") == [
            #"monitord.yaml:2:40: sources.cache.max_disk_size: unknown size unit "gigabyte" in "1 gigabyte"; write a size like 512KiB, 100MB or 2GiB (KB/MB/GB are 1000-based, KiB/MiB/GiB 1024-based) or a number of bytes"#,
        ])
        #expect(configErrors("sources:\n  cache: { type: cache, max_disk_size: -5MB }\n") == [
            #"monitord.yaml:2:40: sources.cache.max_disk_size: a size cannot be negative, found "-5MB""#,
        ])
    }

    @Test("a missing type lists the known types; an unknown one suggests the closest")
    func types() {
        #expect(configErrors("sources:\n  cache: { interval: 5s }\n") == [
            "monitord.yaml:2:3: sources.cache: missing \"type\"; known source types: cache, internal",
        ])
        #expect(configErrors("sinks:\n  web: { type: htp }\n") == [
            #"monitord.yaml:2:16: sinks.web.type: unknown sink type "htp" (did you mean "http"?)"#,
        ])
        #expect(configErrors("sinks:\n  web: { type: grafana }\n") == [
            #"monitord.yaml:2:16: sinks.web.type: unknown sink type "grafana"; known sink types: alerts, http, log, tui"#,
        ])
        #expect(configErrors("sources:\n  api: { type: http }\n") == [
            #"monitord.yaml:2:16: sources.api.type: "http" is a sink type; move "api" under sinks:"#,
        ])
    }

    @Test("environment errors: unset without default, ${VAR:?message}, $$")
    func environment() throws {
        #expect(configErrors("sinks:\n  api: { type: http, port: \"${API_PORT}\" }\n") == [
            "monitord.yaml:2:28: sinks.api.port: environment variable API_PORT is not set; set it, or give a default with ${API_PORT:-value}",
        ])
        #expect(configErrors("sinks:\n  api: { type: http, auth_token: \"${TOKEN:?create one with openssl rand -hex 32}\" }\n") == [
            "monitord.yaml:2:34: sinks.api.auth_token: environment variable TOKEN is required: create one with openssl rand -hex 32",
        ])
        let config = try ConfigLoader.load(
            text: "sinks:\n  api: { type: http, auth_token: \"pa$$word-${T}\" }\n", file: "m.yaml",
            registry: .forConfigTests, environment: ["T": "x"])
        #expect((config.sinks[0].config as? TestHTTPConfig)?.authToken == "pa$word-x")
    }

    @Test("the top level takes monitord, sources and sinks only")
    func sections() {
        #expect(configErrors("source:\n  cache: { type: cache }\n") == [
            #"monitord.yaml:1:1: source: unknown section "source" (did you mean "sources"?)"#,
        ])
        #expect(configErrors("sources:\n  - cache\n") == [
            #"monitord.yaml:2:3: sources: expected a mapping of source ids to their settings (like "cache: { type: cache }"), found a list"#,
        ])
        #expect(configErrors("- a\n") == [
            "monitord.yaml:1:1: a config is a mapping with the sections monitord:, sources: and sinks:, found a list",
        ])
        #expect(configErrors("monitord: { log_level: loud, histroy: 5 }\n") == [
            #"monitord.yaml:1:24: monitord.log_level: expected one of trace, debug, info, warn, error, found "loud""#,
            #"monitord.yaml:1:30: monitord.histroy: unknown field "histroy" (did you mean "history"?)"#,
        ])
    }

    @Test("plugin validation errors from init(from:) carry position and path")
    func pluginValidation() {
        #expect(configErrors("sinks:\n  api:\n    type: http\n    port: 70000\n") == [
            "monitord.yaml:4:11: sinks.api.port: port must be between 0 and 65535, found 70000",
        ])
        #expect(configErrors("sinks:\n  alerts:\n    type: alerts\n    rules:\n      - { name: A, metric: m, severity: warn }\n") == [
            #"monitord.yaml:5:41: sinks.alerts.rules[0].severity: expected one of info, warning, critical, found "warn" (did you mean "warning"?)"#,
        ])
    }

    @Test("several problems in one file are all listed, sorted by position")
    func severalErrors() {
        let lines = configErrors("""
            monitord:
              log_level: info
            sources:
              cache:
                type: cache
                intervl: 5s
                max_disk_size: lots
              db: { type: postgres }
            sinks:
              api: { type: http, port: eighty }
              log: { type: log, inputs: [cahce], path: "${LOG_PATH}" }
              web: { type: http }
              web2: { type: http }
              api: { type: http }
            """)
        #expect(lines == [
            #"monitord.yaml:6:5: sources.cache.intervl: unknown field "intervl" (did you mean "interval"?)"#,
            #"monitord.yaml:7:20: sources.cache.max_disk_size: expected a size, found "lots"; write a size like 512KiB, 100MB or 2GiB (KB/MB/GB are 1000-based, KiB/MiB/GiB 1024-based) or a number of bytes"#,
            #"monitord.yaml:8:15: sources.db.type: unknown source type "postgres"; known source types: cache, internal"#,
            #"monitord.yaml:10:28: sinks.api.port: expected an integer, found "eighty""#,
            #"monitord.yaml:11:30: sinks.log.inputs[0]: "cahce" matches no source (did you mean "cache"?)"#,
            "monitord.yaml:11:44: sinks.log.path: environment variable LOG_PATH is not set; set it, or give a default with ${LOG_PATH:-value}",
            "monitord.yaml:13:3: sinks.web2: port 8000 is already used by sink \"web\" (line 12); give each sink its own port",
            #"monitord.yaml:14:3: sinks.api: duplicate key "api" (first at line 10); keep only one of them"#,
        ])
    }
}
