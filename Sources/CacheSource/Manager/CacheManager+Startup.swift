#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

extension CacheManager {
    /// Builds the index from the directory at start-up: entry files are indexed in modification
    /// order (the eviction order across restarts) and abandoned temporary files removed.
    ///
    /// Only names and `stat` are read here (one system call per file, so 100,000 entries start
    /// in well under two seconds). Headers are read by the first ``sweep()``, which removes and
    /// counts expired and damaged entries; a lookup verifies its file in full whenever it runs.
    func loadIndex() {
        let now = self.now()
        disk.writer.removeDeadWriters()
        // One shard per core: the scan is system calls (open, stat, read, close per file), which
        // run in parallel in the kernel.
        let shards = max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let scans = Mutex<[StartupScan]>([])
        DispatchQueue.concurrentPerform(iterations: shards) { shard in
            let scan = scanShard(shard, of: shards, now: now)
            scans.withLock { $0.append(scan) }
        }
        var found = scans.withLock { scans in scans.flatMap(\.found) }
        found.sort { $0.stamp.modified < $1.stamp.modified }
        let corrupt = scans.withLock { scans in scans.reduce(0) { $0 + $1.corrupt } }
        state.withLock { state in
            state.disk.reserveCapacity(found.count)
            for entry in found { state.upsert(entry.digest, stamp: entry.stamp, expires: entry.expires, keepMemory: true) }
            state.counters.corrupt += corrupt
        }
    }

    /// What the start-up scan found in one shard of the directory.
    private struct StartupScan: Sendable {
        var found: [(digest: EntryDigest, stamp: FileStamp, expires: Double)] = []
        var corrupt = 0
    }

    private func scanShard(_ shard: Int, of shards: Int, now: Double) -> StartupScan {
        var scan = StartupScan()
        disk.walk(shard: shard, of: shards) { file in
            guard let digest = file.digest else {
                if disk.isAbandoned(file, now: now) { unlinkat(file.directory, file.name, 0) }
                return
            }
            var info = stat()
            guard fstatat(file.directory, file.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
            let stamp = FileStamp(info)
            guard stamp.length >= Int64(EntryFile.fixedLength + 8) else {
                // Too short to be an entry (an empty file after a power loss, say).
                if unlinkat(file.directory, file.name, 0) == 0 { scan.corrupt += 1 }
                return
            }
            scan.found.append((digest, stamp, DiskRecord.unknownExpiry))
        }
        return scan
    }
}
