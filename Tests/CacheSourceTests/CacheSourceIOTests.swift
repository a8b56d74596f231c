import Dispatch
import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("The cache source: disk work off Swift's cooperative threads")
struct CacheSourceIOTests {
    @Test("lookups stuck on the disk leave the cooperative threads free, and a memory hit is still answered")
    func diskWorkOffThePool() async throws {
        try await withTemporaryDirectory { dir in
            // One entry in memory ("hot"); the others are only on disk.
            let manager = try CacheManager(directory: dir, maxMemoryItems: 1)
            let width = ProcessInfo.processInfo.activeProcessorCount
            let keys = (0..<(width + 2)).map { "cold-\($0)" }
            for key in keys { try manager.set(key, Array(key.utf8)) }
            try manager.set("hot", Array("hot".utf8))
            let source = CacheSource(manager: manager)
            let stuck = LockedValue(0)
            let release = DispatchSemaphore(value: 0)
            // Every file read waits until the test lets it go: a disk that has stopped answering.
            manager.disk.hooks.withLock { hooks in
                hooks.beforeRead = { _ in
                    stuck.update { $0 += 1 }
                    release.wait()
                }
            }
            let lookups = keys.map { key in Task { try await source.get(key)?.bytes } }
            let answered: Bool = await withCheckedContinuation { continuation in
                // Watched from a thread of its own: on the cooperative threads nothing may run.
                Thread.detachNewThread {
                    let deadline = Date().addingTimeInterval(10)
                    while stuck.value < width && Date() < deadline { usleep(1000) }
                    let hit = LockedValue(false)
                    Task { hit.value = (try? await source.get("hot"))?.bytes == Array("hot".utf8) }
                    // Generous: tests running alongside may hold cooperative threads for a while.
                    let hitDeadline = Date().addingTimeInterval(30)
                    while !hit.value && Date() < hitDeadline { usleep(1000) }
                    manager.disk.hooks.withLock { $0 = DiskHooks() }
                    for _ in 0..<keys.count { release.signal() }
                    continuation.resume(returning: hit.value)
                }
            }
            #expect(answered, "a memory hit waited behind \(width) lookups stuck on the disk")
            for (key, lookup) in zip(keys, lookups) {
                #expect(try await lookup.value == Array(key.utf8))
            }
        }
    }

    @Test("set, delete, clear and sweep through the source reach the disk")
    func dataPlaneThroughThePool() async throws {
        try await withTemporaryDirectory { dir in
            let manager = try CacheManager(directory: dir, maxMemoryItems: 0)
            let source = CacheSource(manager: manager)
            try await source.set("k", value: [1, 2, 3], ttl: nil, metadata: ["a": "b"])
            let stored = try await source.get("k")
            #expect(stored?.bytes == [1, 2, 3])
            #expect(stored?.metadata == ["a": "b"])
            #expect(try await source.delete("k"))
            #expect(try await source.get("k") == nil)
            try await source.set("k2", value: [4], ttl: nil, metadata: [:])
            let cleared = try await source.perform(action: "clear", arguments: [:])
            #expect(cleared["disk_items"] == .int(1))
            #expect(entryFiles(dir).isEmpty)
        }
    }
}
