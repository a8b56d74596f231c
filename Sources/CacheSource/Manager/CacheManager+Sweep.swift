#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one ``CacheManager/sweep()`` did.
public struct SweepReport: Sendable, Equatable {
    /// Entries removed because their TTL had passed.
    public var expired = 0
    /// Entries removed, least recently used first, to get under `max_disk_size`.
    public var diskEvictions = 0
    /// Entry files this manager did not know (another process wrote them).
    public var discovered = 0
    /// Entries another process replaced (the memory copy is dropped) or removed.
    public var replaced = 0
    public var vanished = 0
    /// Damaged entry files removed.
    public var corrupt = 0
    /// Temporary files left by writers that are gone.
    public var temporaryFilesRemoved = 0

    public init() {}
}

extension CacheManager {
    /// Purges expired entries, reconciles the index with the files on disk (other processes may
    /// have written, replaced or removed entries), removes abandoned temporary files, and
    /// enforces `maxDiskBytes` least recently used first. The ``CacheSource`` runs it every
    /// `sweep_interval`. Directory work happens outside the state lock.
    @discardableResult
    public func sweep() -> SweepReport {
        var report = SweepReport()
        let now = self.now()
        purgeExpired(now: now, report: &report)
        reconcile(now: now, report: &report)
        report.diskEvictions = enforceDiskLimit()
        return report
    }

    /// Builds the index from the directory at start-up: entry files are indexed in modification
    /// order (the eviction order across restarts), damaged or expired ones removed and counted,
    /// abandoned temporary files removed. Only the fixed header of each file is read; values
    /// are verified when they are read.
    func loadIndex() {
        let now = self.now()
        var found: [(digest: EntryDigest, stamp: FileStamp, expires: Double)] = []
        var corrupt = 0
        var expired = 0
        disk.walk { file in
            guard let digest = file.digest else {
                if disk.isAbandoned(file, now: now) { unlinkat(file.directory, file.name, 0) }
                return
            }
            let (stamp, fixed) = disk.probe(directory: file.directory, name: file.name)
            guard let stamp else { return }
            guard let fixed, Int64(fixed.fileLength) == stamp.length else {
                if unlinkat(file.directory, file.name, 0) == 0 { corrupt += 1 }
                return
            }
            if fixed.expires != 0 && fixed.expires <= now {
                if unlinkat(file.directory, file.name, 0) == 0 { expired += 1 }
                return
            }
            found.append((digest, stamp, fixed.expires))
        }
        found.sort { $0.stamp.modified < $1.stamp.modified }
        state.withLock { state in
            for entry in found { state.upsert(entry.digest, stamp: entry.stamp, expires: entry.expires, keepMemory: true) }
            state.counters.corrupt += corrupt
            state.counters.expired += expired
        }
    }

    /// Removes entries whose TTL has passed, per the index (no file reads).
    private func purgeExpired(now: Double, report: inout SweepReport) {
        let candidates = state.withLock { state in
            state.disk.slots.compactMap { record in record.flatMap { $0.isExpired(at: now) ? $0.digest : nil } }
        }
        for digest in candidates {
            stripes.withLock(digest) {
                guard let record = state.withLock({ state in state.diskIndex[digest].flatMap { state.disk[$0] } }),
                      record.isExpired(at: now)
                else { return }
                if let current = disk.stamp(digest), current != record.stamp {
                    refresh(digest, now: now, report: &report)  // another process rewrote it
                    return
                }
                disk.remove(digest, inode: record.stamp.inode)
                state.withLock { state in
                    state.forget(digest)
                    state.counters.expired += 1
                }
                report.expired += 1
            }
        }
    }

    /// Compares the index with a walk of the directory and re-reads what differs.
    private func reconcile(now: Double, report: inout SweepReport) {
        let (startGeneration, epoch) = state.withLock { state in
            state.sweepEpoch &+= 1
            return (state.generation, state.sweepEpoch)
        }
        var listing: [(digest: EntryDigest, stamp: FileStamp)] = []
        disk.walk { file in
            if let digest = file.digest {
                var info = stat()
                if fstatat(file.directory, file.name, &info, AT_SYMLINK_NOFOLLOW) == 0 { listing.append((digest, FileStamp(info))) }
            } else if disk.isAbandoned(file, now: now), unlinkat(file.directory, file.name, 0) == 0 {
                report.temporaryFilesRemoved += 1
            }
        }
        var suspects: [EntryDigest] = []
        // In chunks, so lookups never wait long behind the comparison.
        for start in stride(from: 0, to: listing.count, by: 4096) {
            let chunk = listing[start..<min(start + 4096, listing.count)]
            state.withLock { state in
                for (digest, stamp) in chunk {
                    guard let slot = state.diskIndex[digest], let record = state.disk[slot] else {
                        suspects.append(digest)
                        continue
                    }
                    state.disk[slot]?.seenEpoch = epoch
                    if record.stamp != stamp && record.generation <= startGeneration { suspects.append(digest) }
                }
            }
        }
        state.withLock { state in
            for case let record? in state.disk.slots where record.seenEpoch != epoch && record.generation <= startGeneration {
                suspects.append(record.digest)
            }
        }
        for digest in suspects {
            stripes.withLock(digest) { refresh(digest, now: now, report: &report) }
        }
    }

    /// Re-reads one entry's header and brings the index in line with it. Holds its stripe.
    private func refresh(_ digest: EntryDigest, now: Double, report: inout SweepReport) {
        let (stamp, fixed) = disk.probe(digest)
        guard let stamp else {
            if state.withLock({ $0.forget(digest) }) { report.vanished += 1 }
            return
        }
        guard let fixed, Int64(fixed.fileLength) == stamp.length else {
            disk.remove(digest, inode: stamp.inode)
            state.withLock { state in
                state.forget(digest)
                state.counters.corrupt += 1
            }
            report.corrupt += 1
            return
        }
        if fixed.expires != 0 && fixed.expires <= now {
            disk.remove(digest, inode: stamp.inode)
            state.withLock { state in
                state.forget(digest)
                state.counters.expired += 1
            }
            report.expired += 1
            return
        }
        let known = state.withLock { state in
            let known = state.diskIndex[digest] != nil
            state.upsert(digest, stamp: stamp, expires: fixed.expires, keepMemory: false)
            return known
        }
        if known { report.replaced += 1 } else { report.discovered += 1 }
    }

    /// Removes least recently used entries while the disk tier is over `maxDiskBytes`; returns
    /// how many.
    @discardableResult
    func enforceDiskLimit() -> Int {
        guard maxDiskBytes > 0 else { return 0 }
        var evicted = 0
        for _ in 0..<1_000_000 {
            let victim = state.withLock { state -> EntryDigest? in
                guard state.diskBytes > maxDiskBytes, state.disk.tail >= 0 else { return nil }
                return state.disk[state.disk.tail]?.digest
            }
            guard let victim else { break }
            stripes.withLock(victim) {
                // Still the least recently used, and still over the limit?
                let record = state.withLock { state -> DiskRecord? in
                    guard state.diskBytes > maxDiskBytes, let slot = state.diskIndex[victim], slot == state.disk.tail,
                          let record = state.disk[slot]
                    else { return nil }
                    state.forget(victim)
                    state.counters.diskEvictions += 1
                    return record
                }
                guard let record else { return }
                evicted += 1
                let code = disk.remove(victim, inode: record.stamp.inode)
                if code != 0 && code != ENOENT { state.withLock { $0.counters.diskErrors += 1 } }
            }
        }
        return evicted
    }
}
