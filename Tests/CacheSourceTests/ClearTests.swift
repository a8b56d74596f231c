import Dispatch
import Foundation
import MonitorKitCore
import Synchronization
import Testing
@testable import CacheSource

@Suite("CacheManager: clear never stops the rest of the cache")
struct ClearTests {
    /// What the lookup and the write made during a clear got (`nil`: still waiting after 10 s).
    struct Answers: Sendable {
        var lookup: String?
        var write: Bool?
    }

    /// Runs `work` on a thread of its own and waits up to `seconds` for it; `nil` when it did not
    /// finish in time (it still finishes later, on its thread).
    private func onAnotherThread<T: Sendable>(within seconds: Double = 10, _ work: @escaping @Sendable () -> T) -> T? {
        let result = LockedValue<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            result.value = work()
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return result.value
    }

    @Test("while a clear walks the directory, a lookup and a write of other keys are answered")
    func lookupsDuringClear() async throws {
        try await withTemporaryDirectory { dir in
            // No memory tier: every lookup goes to the file, the path a clear used to block.
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0)
            for index in 0..<300 { try cache.set("before-\(index)", Array("old \(index)".utf8)) }
            let answered = LockedValue<Answers?>(nil)
            let started = LockedValue(false)
            cache.disk.hooks.withLock { hooks in
                hooks.beforeUnlink = { _, step in
                    // Once, at the first file the clear removes.
                    guard step == .clearing, started.update({ first in defer { first = true }; return !first }) else { return }
                    let lookup = onAnotherThread { () -> String in
                        do { return try cache.get("never-written") == nil ? "miss" : "hit" } catch { return "\(error)" }
                    }
                    let write = onAnotherThread { (try? cache.set("during", Array("new".utf8))) != nil }
                    answered.value = Answers(lookup: lookup, write: write)
                }
            }
            let result = cache.clear()
            cache.disk.hooks.withLock { $0 = DiskHooks() }
            let seen = try #require(answered.value)
            #expect(seen.lookup == "miss", "a lookup of another key waited for the clear")
            #expect(seen.write == true, "a write of another key waited for the clear")
            // What clear guarantees: every entry written before it began is gone.
            #expect(result.diskItems >= 300)
            for index in 0..<300 { #expect(try cache.get("before-\(index)") == nil) }
            // A write made while it ran may survive or not, but memory, disk and counts agree.
            let during = try cache.get("during")
            #expect(during == nil || during == Array("new".utf8))
            let stats = cache.stats()
            #expect(stats.diskItems == entryFiles(dir).count)
            #expect(stats.diskItems == (during == nil ? 0 : 1))
        }
    }

    @Test("a clear removes what another manager wrote before it began, and that manager reads misses")
    func clearAcrossManagers() async throws {
        try await withTemporaryDirectory { dir in
            let a = try CacheManager(directory: dir)
            let b = try CacheManager(directory: dir, maxMemoryItems: 0)
            for index in 0..<50 { try b.set("b-\(index)", [UInt8(index)]) }
            let result = a.clear()
            #expect(result.diskItems == 50)
            for index in 0..<50 { #expect(try b.get("b-\(index)") == nil) }
            #expect(entryFiles(dir).isEmpty)
            b.sweep()
            #expect(b.stats().diskItems == 0)
            #expect(a.stats().diskItems == 0)
        }
    }
}
