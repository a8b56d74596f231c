import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: removing a file only if it is still the one meant")
struct RemovalRaceTests {
    /// A manager whose clock the test moves, so `k` expires for it alone: its next sweep removes
    /// `k`'s file, unless the file is no longer the one it wrote.
    private func expiringManager(_ dir: String) throws -> (CacheManager, TestClock) {
        let clock = TestClock()
        let sweeper = try CacheManager(directory: dir, now: clock.function)
        try sweeper.set("k", Array("old".utf8), ttl: .seconds(10))
        clock.advance(20)
        return (sweeper, clock)
    }

    @Test("another manager's write between the sweep's check and its unlink survives and reads back")
    func writeInsideTheWindow() async throws {
        try await withTemporaryDirectory { dir in
            let (sweeper, _) = try expiringManager(dir)
            let writer = try CacheManager(directory: dir, maxMemoryItems: 0)
            let fresh = Array("fresh, from another manager".utf8)
            sweeper.disk.hooks.withLock { hooks in
                hooks.beforeUnlink = { _, step in
                    if step == .checked { try? writer.set("k", fresh, ttl: .seconds(3600)) }
                }
            }
            sweeper.sweep()
            // The sweeper's count follows the file that is there now.
            #expect(sweeper.stats().diskItems == 1)
            let reader = try CacheManager(directory: dir, maxMemoryItems: 0)
            #expect(try reader.get("k") == fresh)
            #expect(try writer.get("k") == fresh)
            #expect(entryFiles(dir).count == 1)
            #expect(temporaryFiles(dir).isEmpty)
        }
    }

    @Test("a file replaced again after it was moved aside: the older one goes, the newest stays")
    func twoWritesInsideTheWindow() async throws {
        try await withTemporaryDirectory { dir in
            let (sweeper, _) = try expiringManager(dir)
            let writer = try CacheManager(directory: dir, maxMemoryItems: 0)
            let second = Array("second".utf8), third = Array("third, the newest".utf8)
            sweeper.disk.hooks.withLock { hooks in
                hooks.beforeUnlink = { _, step in
                    switch step {
                    case .checked: try? writer.set("k", second, ttl: .seconds(3600))
                    case .movedAside: try? writer.set("k", third, ttl: .seconds(3600))
                    case .clearing: break
                    }
                }
            }
            sweeper.sweep()
            let reader = try CacheManager(directory: dir, maxMemoryItems: 0)
            #expect(try reader.get("k") == third)
            #expect(entryFiles(dir).count == 1)
            #expect(temporaryFiles(dir).isEmpty)
        }
    }

    @Test("a write of the same size within the same clock tick is still a different file")
    func sameSizeSameTick() async throws {
        try await withTemporaryDirectory { dir in
            // Delete and rewrite with a value of the same length: the inode may be reused and the
            // kernel's timestamp may not have moved; the identity must still tell them apart.
            let (sweeper, _) = try expiringManager(dir)
            let writer = try CacheManager(directory: dir, maxMemoryItems: 0)
            let same = Array("new".utf8)
            sweeper.disk.hooks.withLock { hooks in
                hooks.beforeUnlink = { _, step in
                    guard step == .checked else { return }
                    _ = try? writer.delete("k")
                    try? writer.set("k", same, ttl: .seconds(3600))
                }
            }
            sweeper.sweep()
            #expect(try writer.get("k") == same)
        }
    }
}
