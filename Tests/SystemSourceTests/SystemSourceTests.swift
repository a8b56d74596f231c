import Foundation
import MonitorKitCore
import Testing

@testable import SystemSource

@Suite struct SystemSourceTests {
    static func registry() -> PluginRegistry {
        var registry = PluginRegistry()
        registry.register(source: SystemSourceConfig.self)
        return registry
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("system-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func openFilesCountsWhatTheProcessHoldsOpen() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try #require(ProcessFigures.openFiles())
        let handles = try (0..<10).map { index -> FileHandle in
            let url = dir.appendingPathComponent("f\(index)")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            return try FileHandle(forReadingFrom: url)
        }
        let during = try #require(ProcessFigures.openFiles())
        for handle in handles { try handle.close() }
        // Other tests of this process may open and close files meanwhile, so only the least is sure.
        #expect(during >= before + 10 - 2, "before \(before), with 10 more open \(during)")
        #expect(try #require(ProcessFigures.maxOpenFiles()) >= during)
    }

    @Test func processFiguresAreThisProcesss() throws {
        // A megabyte touched page by page is resident.
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 20, alignment: 4096)
        defer { block.deallocate() }
        let before = try #require(ProcessFigures.residentBytes())
        for offset in stride(from: 0, to: block.count, by: 4096) { block[offset] = 1 }
        let after = try #require(ProcessFigures.residentBytes())
        #expect(after >= before + (48 << 20), "resident \(before) before touching 64 MiB, \(after) after")
        #expect(try #require(ProcessFigures.threads()) >= 1)
        let cpu = try #require(ProcessFigures.cpuSeconds())
        var spin = 0.0
        for i in 0..<3_000_000 { spin += Double(i).squareRoot() }
        #expect(spin > 0)
        #expect(try #require(ProcessFigures.cpuSeconds()) > cpu)
    }

    @Test func aDirectoryThatDoesNotExistYetIsMeasuredOnItsNearestParent() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("not/yet/there").path
        let figures = try #require(FilesystemFigures.read(missing))
        #expect(figures.measuredPath == dir.path)
        #expect(figures.totalBytes > 0)
        #expect(figures.availableBytes <= figures.totalBytes)
        #expect(figures.freeRatio > 0 && figures.freeRatio <= 1)
        #expect(figures.availableInodes > 0)
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: dir.path)
        #expect((attributes[.systemSize] as? NSNumber)?.intValue == figures.totalBytes)
        #expect(FilesystemFigures.parent(of: "/a/b/") == "/a")
        #expect(FilesystemFigures.parent(of: "/a") == "/")
        #expect(FilesystemFigures.parent(of: "a") == ".")
        #expect(FilesystemFigures.parent(of: "/") == nil)
    }

    @Test func everyFieldOfASampleIsDeclaredAndEveryDeclaredFieldIsSampled() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try ConfigLoader.load(
            text: "sources:\n  system: { type: system, paths: { cache: \"\(dir.path)\", logs: /tmp } }\n", file: "monitord.yaml",
            registry: Self.registry(), environment: [:])
        let runtime = try await Runtime.build(config: config, logger: .init(label: "test"))
        let info = try #require(runtime.context.sourceInfo("system"))
        let sample = try await runtime.context.invoke(source: "system", action: "stats")
        #expect(Set(sample.names) == Set(info.metrics.map(\.name)))
        #expect(sample["cache_fs_path"] == .string(dir.path))
        #expect(info.metrics.contains { $0.name == "logs_fs_free_ratio" && $0.export?.labels == [MetricLabel("path", "logs")] })
    }

    @Test func byDefaultItWatchesEverySourcesDataDirectory() throws {
        let config = SystemSourceConfig()
        let watched = config.watched([SourceDirectory(source: "cache", path: "/var/cache/monitord"), SourceDirectory(source: "bad.name", path: "/x")])
        #expect(watched == [SystemSourceConfig.WatchedPath(name: "cache", path: "/var/cache/monitord")])
    }

    @Test func aPathNameThatCannotBeAFieldNameIsRefused() {
        #expect {
            _ = try ConfigLoader.load(
                text: "sources:\n  system: { type: system, paths: { \"my.cache\": /tmp } }\n", file: "monitord.yaml",
                registry: Self.registry(), environment: [:])
        } throws: { error in
            "\(error)".contains("a path's name becomes part of its field names (my.cache_fs_free_ratio), so it takes letters, digits and _ only")
        }
    }
}
