import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: concurrent use")
struct ConcurrencyTests {
    @Test("many tasks hammering get, set and delete on overlapping keys: hits + misses == gets")
    func hammer() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 16)
            let keys = (0..<40).map { "key-\($0)" }
            let counts = await onThreads(8) { worker -> (gets: Int, wrong: Int) in
                var rng = SystemRandomNumberGenerator()
                var gets = 0
                var wrong = 0
                for step in 0..<1500 {
                    guard let key = keys.randomElement(using: &rng) else { continue }
                    do {
                        switch Int.random(in: 0..<10, using: &rng) {
                        case 0..<5:
                            gets += 1
                            // Every value written for a key starts with the key's bytes.
                            if let value = try cache.get(key), !value.starts(with: key.utf8) {
                                wrong += 1
                            }
                        case 5..<8:
                            try cache.set(key, Array("\(key)|\(worker)|\(step)".utf8) + [UInt8](repeating: 1, count: step % 700))
                        case 8:
                            try cache.delete(key)
                        default:
                            if step % 300 == 0 { cache.sweep() } else { _ = cache.stats() }
                        }
                    } catch {
                        Issue.record("unexpected error: \(error)")
                    }
                }
                return (gets, wrong)
            }
            let gets = counts.reduce(0) { $0 + $1.gets }
            let wrongValues = counts.reduce(0) { $0 + $1.wrong }
            let stats = cache.stats()
            #expect(stats.hits + stats.misses == gets)
            #expect(wrongValues == 0)
            #expect(stats.memoryItems <= 16)
            #expect(stats.memoryItems <= stats.diskItems)
            // The counters agree with the files once the dust has settled.
            #expect(stats.diskItems == entryFiles(dir).count)
            #expect(cache.sweep().discovered == 0)
            #expect(temporaryFiles(dir).isEmpty)
            for key in keys {
                if let value = try cache.get(key) { #expect(value.starts(with: key.utf8)) }
            }
        }
    }

    @Test("two managers writing one directory at once agree with the files after a sweep")
    func twoWriters() async throws {
        try await withTemporaryDirectory { dir in
            let a = try CacheManager(directory: dir, maxMemoryItems: 8)
            let b = try CacheManager(directory: dir, maxMemoryItems: 8)
            let caches = [a, b]
            _ = await onThreads(caches.count) { index in
                let cache = caches[index]
                for step in 0..<400 {
                    let key = "shared-\(step % 30)"
                    try? cache.set(key, Array("\(key)/\(index)".utf8))
                    if step % 7 == 0 { _ = try? cache.delete("shared-\((step + 3) % 30)") }
                }
            }
            a.sweep()
            b.sweep()
            let files = entryFiles(dir).count
            #expect(a.stats().diskItems == files)
            #expect(b.stats().diskItems == files)
            #expect(a.stats().sizeBytes == b.stats().sizeBytes)
        }
    }
}
