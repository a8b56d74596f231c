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
    /// Entries whose file another process removed: forgotten by the index.
    public var vanished = 0
    /// Damaged entry files removed.
    public var corrupt = 0
    /// Temporary files left by writers that are gone.
    public var temporaryFilesRemoved = 0

    /// A report of a sweep that did nothing.
    public init() {}
}

extension CacheManager {
    /// Purges expired entries, reconciles the index with the files on disk (other processes may
    /// have written, replaced or removed entries), removes abandoned temporary files, and
    /// enforces `maxDiskBytes` least recently used first. The ``CacheSource`` runs it every
    /// `sweep_interval`. Directory work happens outside the state lock, which is taken for a
    /// few thousand records at a time, and each file is handled under its own key's stripe.
    @discardableResult
    public func sweep() -> SweepReport {
        var report = SweepReport()
        let now = self.now()
        disk.writer.removeDeadWriters()
        purgeExpired(now: now, report: &report)
        reconcile(now: now, report: &report)
        report.diskEvictions = enforceDiskLimit()
        return report
    }

    /// Removes entries whose TTL has passed, per the index, and reads the headers the start-up
    /// scan left unread (removing expired and damaged entries among them).
    private func purgeExpired(now: Double, report: inout SweepReport) {
        let candidates = collectRecords { $0.isExpired(at: now) || !$0.isExpiryKnown }
        for digest in candidates {
            stripes.withLock(digest) {
                guard let record = state.withLock({ state in state.disk.record(of: digest) }) else { return }
                guard record.isExpiryKnown else {
                    refresh(digest, now: now, report: &report, learningHeader: true)
                    return
                }
                guard record.isExpired(at: now) else { return }
                switch disk.remove(digest, ifStill: record.stamp) {
                case .removed:
                    state.withLock { state in
                        state.forget(digest)
                        state.counters.expired += 1
                    }
                    report.expired += 1
                case .missing:
                    if state.withLock({ $0.forget(digest) }) { report.vanished += 1 }
                case .replaced:
                    refresh(digest, now: now, report: &report)  // another process rewrote it
                case .failed:
                    state.withLock { $0.counters.diskErrors += 1 }
                }
            }
        }
    }

    /// Compares the index with a walk of the directory and re-reads what differs.
    private func reconcile(now: Double, report: inout SweepReport) {
        let (startGeneration, epoch) = state.withLock { state in
            state.disk.sweepEpoch &+= 1
            return (state.disk.generation, state.disk.sweepEpoch)
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
                    guard let slot = state.disk.slot(of: digest), let record = state.disk[slot] else {
                        suspects.append(digest)
                        continue
                    }
                    state.disk[slot]?.seenEpoch = epoch
                    if record.stamp != stamp && record.generation <= startGeneration { suspects.append(digest) }
                }
            }
        }
        suspects += collectRecords { $0.seenEpoch != epoch && $0.generation <= startGeneration }
        for digest in suspects {
            stripes.withLock(digest) { refresh(digest, now: now, report: &report) }
        }
    }

    /// Re-reads one entry's header and brings the index in line with it. Holds its stripe.
    /// With `learningHeader`, an unchanged file only gets its expiry recorded (its place in the
    /// eviction order stays).
    private func refresh(_ digest: EntryDigest, now: Double, report: inout SweepReport, learningHeader: Bool = false) {
        let (stamp, fixed) = disk.probe(digest)
        guard let stamp else {
            if state.withLock({ $0.forget(digest) }) { report.vanished += 1 }
            return
        }
        guard let fixed, Int64(fixed.fileLength) == stamp.length else {
            if discard(digest, ifStill: stamp, counting: \.corrupt) { report.corrupt += 1 }
            return
        }
        if fixed.expires != 0 && fixed.expires <= now {
            if discard(digest, ifStill: stamp, counting: \.expired) { report.expired += 1 }
            return
        }
        let known = state.withLock { state -> Bool? in
            let slot = state.disk.slot(of: digest)
            if learningHeader, let slot, state.disk[slot]?.stamp == stamp {
                state.disk[slot]?.expires = fixed.expires
                return nil
            }
            state.upsert(digest, stamp: stamp, expires: fixed.expires, keepMemory: false)
            return slot != nil
        }
        switch known {
        case true?: report.replaced += 1
        case false?: report.discovered += 1
        case nil: break
        }
    }

    /// Removes a damaged or expired entry's file if it is still the one probed, forgets the entry
    /// and counts it in `counter`; `false` when the file was not removed (it is forgotten all the
    /// same: the next sweep reads what is there now).
    private func discard(_ digest: EntryDigest, ifStill stamp: FileStamp, counting counter: WritableKeyPath<CacheCounters, Int>) -> Bool {
        guard disk.remove(digest, ifStill: stamp) == .removed else {
            state.withLock { _ = $0.forget(digest) }
            return false
        }
        state.withLock { state in
            state.forget(digest)
            state.counters[keyPath: counter] += 1
        }
        return true
    }

    /// Removes least recently used entries while the disk tier is over `maxDiskBytes`; returns
    /// how many. The entry `spared` (the one the set that called this just stored) is never one
    /// of them: an acknowledged write leaves only when later writes push it out.
    @discardableResult
    func enforceDiskLimit(sparing spared: EntryDigest? = nil) -> Int {
        guard maxDiskBytes > 0 else { return 0 }
        var evicted = 0
        for _ in 0..<1_000_000 {
            let victim = state.withLock { state -> EntryDigest? in
                guard state.disk.bytes > maxDiskBytes, var candidate = state.diskEvictionCandidate() else { return nil }
                if candidate.digest == spared {
                    // Its turn comes after every other entry's.
                    guard state.disk.count > 1 else { return nil }
                    state.disk.touch(candidate.slot)
                    guard let next = state.diskEvictionCandidate(), next.digest != spared else { return nil }
                    candidate = next
                }
                return candidate.digest
            }
            guard let victim else { break }
            stripes.withLock(victim) {
                // Still the least recently used, and still over the limit?
                let record = state.withLock { state -> DiskRecord? in
                    guard state.disk.bytes > maxDiskBytes, let slot = state.disk.slot(of: victim), slot == state.disk.tail else { return nil }
                    return state.disk[slot]
                }
                guard let record else { return }
                let removal = disk.remove(victim, ifStill: record.stamp)
                // Forgotten whatever happened, so the loop moves on; a file another process put
                // in its place is indexed again by the next sweep.
                state.withLock { state in
                    state.forget(victim)
                    switch removal {
                    case .removed: state.counters.diskEvictions += 1
                    case .failed: state.counters.diskErrors += 1
                    case .missing, .replaced: break
                    }
                }
                if removal == .removed { evicted += 1 }
            }
        }
        return evicted
    }

    /// The digests of index records that match `include`, gathered a few thousand records per
    /// hold of the state lock, so lookups never wait long behind a big index. Records added
    /// meanwhile may be missed; they are new, and the next sweep sees them.
    private func collectRecords(_ include: (DiskRecord) -> Bool) -> [EntryDigest] {
        var digests: [EntryDigest] = []
        var start = 0
        while true {
            let more = state.withLock { state -> Bool in
                let end = min(start + 4096, state.disk.slotCount)
                for slot in start..<end {
                    if let record = state.disk[Int32(slot)], include(record) { digests.append(record.digest) }
                }
                start = end
                return end < state.disk.slotCount
            }
            guard more else { return digests }
        }
    }
}
