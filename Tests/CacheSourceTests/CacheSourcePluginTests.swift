import Foundation
import Logging
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("The cache source plugin")
struct CacheSourcePluginTests {
    @Test("config keys and their defaults")
    func configDefaults() throws {
        let config = try decodeCacheConfig("{}")
        #expect(config == CacheSourceConfig())
        #expect(config.cacheDir == "cache")
        #expect(config.maxMemorySize == 200)
        #expect(config.defaultTTL == .seconds(3600))
        #expect(config.maxDiskSize.bytes == 1 << 30)
        #expect(config.sweepInterval == .seconds(60))
        #expect(config.window == .seconds(300))
        #expect(CacheSourceConfig.type == "cache")
    }

    @Test("config keys as written in monitord.yaml, with the environment")
    func configFromYAML() throws {
        let yaml = """
            cache_dir: ${CACHE_DIR:-cache}
            max_memory_size: ${MAX_MEMORY_SIZE:-200}
            default_ttl: ${DEFAULT_TTL:-3600}
            max_disk_size: 512MiB
            sweep_interval: 30s
            window: 10m
            """
        let config = try decodeCacheConfig(yaml, environment: ["CACHE_DIR": "/var/cache/x", "DEFAULT_TTL": "1h"])
        #expect(config.cacheDir == "/var/cache/x")
        #expect(config.maxMemorySize == 200)
        #expect(config.defaultTTL == .seconds(3600))
        #expect(config.maxDiskSize.bytes == 512 << 20)
        #expect(config.sweepInterval == .seconds(30))
        #expect(config.window == .seconds(600))
        #expect(try decodeCacheConfig("default_ttl: 90").defaultTTL == .seconds(90))
    }

    @Test("bad config values are refused with how to fix them")
    func configErrors() {
        let message = cacheConfigError
        #expect(message("max_memory_size: -1").contains("max_memory_size must be between 0 and 10,000,000, found -1"))
        // Int.max passed `validate` once and then trapped at start.
        #expect(message("max_memory_size: 9223372036854775807").contains("max_memory_size must be between 0 and 10,000,000, found 9,223,372,036,854,775,807"))
        #expect(message("default_ttl: -5").contains("default_ttl"))
        #expect(message("default_ttl: 100000d").contains("default_ttl must be between 0s and 3650d, found 100000d"))
        #expect(message("max_disk_size: 2048TiB").contains("max_disk_size must be between 0 bytes and 1024TiB, found 2048TiB"))
        #expect(message("sweep_interval: 0s").contains("sweep_interval must be between 10ms and 1d, found 0s"))
        #expect(message("window: 100ms").contains("window must be between 1s and 7d, found 100ms"))
        #expect(message("cache_dir: \"\"").contains("cache_dir is empty"))
        #expect(message("max_disk_size: lots").contains("expected a size"))
        #expect(message("max_memory: 5").contains("max_memory_size"))
    }

    @Test("build names the directory it cannot create")
    func buildError() async throws {
        try await withTemporaryDirectory { dir in
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
            var config = CacheSourceConfig()
            config.cacheDir = dir + "/file/cache"
            let context = SourceBuildContext(id: "cache", logger: Logger(label: "test"), emitter: Emitter(source: "cache", bus: EventBus()))
            do {
                _ = try await config.build(context: context)
                Issue.record("build succeeded")
            } catch {
                #expect("\(error)" == "cache directory \"\(dir)/file/cache\" cannot be used: Not a directory")
            }
        }
    }

    @Test("sample, the stats and clear actions, and the cache.cleared event")
    func actionsAndEvents() async throws {
        try await withTemporaryDirectory { dir in
            let bus = EventBus()
            let events = bus.subscribe("test")
            var config = CacheSourceConfig()
            config.cacheDir = dir
            config.maxMemorySize = 2
            let context = SourceBuildContext(id: "cache", logger: Logger(label: "test"), emitter: Emitter(source: "cache", bus: bus))
            let source = try await config.build(context: context)
            #expect(source.sampleName == "cache.stats")
            #expect(source.actions == ["stats", "clear"])
            let store = try #require(source as? any KeyValueStore)
            for i in 0..<3 { try await store.set("k\(i)", value: [UInt8(i)], ttl: nil, metadata: [:]) }
            #expect(try await store.get("k2")?.tier == "memory")
            #expect(try await store.get("k0")?.tier == "disk")
            #expect(try await store.get("nope") == nil)

            let sample = try await source.sample()
            #expect(sample["memory_items"] == .int(2))
            #expect(sample["disk_items"] == .int(3))
            #expect(sample["hits"] == .int(2))
            let stats = try await source.perform(action: "stats", arguments: Fields())
            #expect(stats.names == sample.names)
            #expect(stats["total_requests"] == .int(3))

            let kept = try await source.perform(action: "clear", arguments: ["reset_stats": false])
            #expect(kept == ["memory_items": 2, "disk_items": 3, "total_items": 5])
            #expect(try await source.sample()["total_requests"] == .int(3))
            try await store.set("again", value: [1], ttl: .seconds(5), metadata: ["m": "1"])
            let cleared = try await source.perform(action: "clear", arguments: Fields())
            #expect(cleared == ["memory_items": 1, "disk_items": 1, "total_items": 2])
            #expect(try await source.sample()["total_requests"] == .int(0))

            var received: [Event] = []
            for await event in events {
                received.append(event)
                if received.count == 2 { break }
            }
            #expect(received.map(\.name) == ["cache.cleared", "cache.cleared"])
            #expect(received.allSatisfy { $0.source == "cache" && $0.kind == .event })
            #expect(received[0].fields == ["memory_items": 2, "disk_items": 3, "total_items": 5, "reset_stats": false])
            #expect(received[1].fields == ["memory_items": 1, "disk_items": 1, "total_items": 2, "reset_stats": true])
        }
    }

    @Test("a bad argument or an unknown action is refused")
    func badActions() async throws {
        try await withTemporaryDirectory { dir in
            let source = CacheSource(manager: try CacheManager(directory: dir))
            await #expect(throws: SourceActionError.unknownAction(source: "cache", action: "flush")) {
                try await source.perform(action: "flush", arguments: Fields())
            }
            await #expect(throws: SourceActionError.invalidArgument("reset_stats must be true or false, got 3")) {
                try await source.perform(action: "clear", arguments: ["reset_stats": 3])
            }
        }
    }

    @Test("run() sweeps every sweep_interval until cancelled")
    func sweepLoop() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let manager = try CacheManager(directory: dir, now: clock.function)
            let source = CacheSource(manager: manager, sweepInterval: .milliseconds(20))
            try manager.set("short", [1], ttl: .seconds(1))
            clock.advance(2)
            let task = Task { try await source.run() }
            let swept = await eventually { manager.stats().expiredEntries == 1 }
            #expect(swept)
            #expect(entryFiles(dir).isEmpty)
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
    }

    @Test("the cache source registers as type cache")
    func registration() {
        var registry = PluginRegistry()
        registry.register(source: CacheSourceConfig.self)
        #expect(registry.sources["cache"] == CacheSourceConfig.self)
    }
}
