import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: max_disk_size")
struct DiskLimitTests {
    private func fileSize(_ path: String) throws -> Int64 {
        Int64((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
    }

    @Test("a set that crosses the limit removes the least recently used entries first")
    func evictOnSet() async throws {
        try await withTemporaryDirectory { dir in
            let value = [UInt8](repeating: 5, count: 1000)
            let probe = try CacheManager(directory: dir + "/probe")
            try probe.set("k0", value)
            let entrySize = try fileSize(entryPath(dir + "/probe", "k0"))

            let cache = try CacheManager(directory: dir + "/cache", maxMemoryItems: 2, maxDiskBytes: entrySize * 4)
            for i in 0..<4 { try cache.set("k\(i)", value) }
            // Use k0 and k1 (k0 from disk, k1 from disk too: memory holds k2, k3), so k2 is now the oldest.
            #expect(try cache.get("k0") == value)
            #expect(try cache.get("k1") == value)
            try cache.set("k4", value)
            let stats = cache.stats()
            #expect(stats.diskEvictions == 1)
            #expect(stats.diskItems == 4)
            #expect(stats.sizeBytes <= entrySize * 4)
            #expect(!FileManager.default.fileExists(atPath: entryPath(dir + "/cache", "k2")))
            #expect(try cache.get("k2") == nil)
            for key in ["k0", "k1", "k3", "k4"] { #expect(try cache.get(key) == value) }
        }
    }

    @Test("the sweep enforces the limit over entries another process wrote")
    func evictOnSweep() async throws {
        try await withTemporaryDirectory { dir in
            let value = [UInt8](repeating: 5, count: 4000)
            let limited = try CacheManager(directory: dir, maxDiskBytes: 20_000)
            let unlimited = try CacheManager(directory: dir, maxDiskBytes: 0)
            for i in 0..<10 { try unlimited.set("k\(i)", value) }
            let report = limited.sweep()
            #expect(report.discovered == 10)
            #expect(report.diskEvictions == 6)
            let stats = limited.stats()
            #expect(stats.sizeBytes <= 20_000)
            #expect(stats.diskItems == 4)
            #expect(entryFiles(dir).count == 4)
            #expect(stats.diskEvictions == 6)
        }
    }
}
