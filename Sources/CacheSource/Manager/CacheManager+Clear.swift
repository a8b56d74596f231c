#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

/// What `clear` removed.
public struct CacheClearResult: Sendable, Equatable {
    /// Entries removed from memory.
    public var memoryItems: Int
    /// Entry files removed from disk (including any another process wrote).
    public var diskItems: Int
    /// `memoryItems + diskItems`, as the original API reported it (an entry in both tiers counts twice).
    public var totalItems: Int { memoryItems + diskItems }

    /// A result of `memoryItems` memory entries and `diskItems` entry files removed.
    public init(memoryItems: Int, diskItems: Int) {
        self.memoryItems = memoryItems
        self.diskItems = diskItems
    }

    /// `{memory_items, disk_items, total_items}`.
    public var fields: Fields {
        ["memory_items": .int(memoryItems), "disk_items": .int(diskItems), "total_items": .int(totalItems)]
    }
}

extension CacheManager {
    /// Removes every entry from memory and every entry file from disk (including files another
    /// process wrote), and with `resetStats` (the default) resets the statistics too.
    ///
    /// What it guarantees: every entry written before the clear began, by any process, is gone
    /// when it returns, and no process on the directory serves it from memory afterwards. An
    /// entry written while the clear runs may survive or not; either way memory, disk and the
    /// counts agree about it. The clear never holds a lock that other keys' lookups and writes
    /// wait on for longer than one file's unlink: memory and the index are emptied in one short
    /// step, then each file is removed under its own key's stripe.
    @discardableResult
    public func clear(resetStats: Bool = true) -> CacheClearResult {
        let now = self.now()
        let memoryItems = state.withLock { state in
            let count = state.memory.count
            state.removeAll()
            if resetStats { state.resetCounters() }
            return count
        }
        var diskItems = 0
        disk.walk { file in
            if let digest = file.digest {
                disk.hooks.withLock { $0.beforeUnlink }?(digest, .clearing)
                // Under the key's stripe, so a write or promotion of this key in this process is
                // wholly before (its file goes, and so does its record) or wholly after (it stays).
                stripes.withLock(digest) {
                    if unlinkat(file.directory, file.name, 0) == 0 { diskItems += 1 }
                    state.withLock { _ = $0.forget(digest) }
                }
            } else if disk.isAbandoned(file, now: now) {
                unlinkat(file.directory, file.name, 0)
            }
        }
        // After the files are gone: no process serves from memory what was there before.
        generations.bumpEpoch()
        return CacheClearResult(memoryItems: memoryItems, diskItems: diskItems)
    }
}
