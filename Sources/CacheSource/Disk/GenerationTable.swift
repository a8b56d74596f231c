#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The counters that every process on one cache directory bumps when it changes an entry, so a
/// memory hit anywhere can tell at once that its copy may be out of date.
///
/// `<cache_dir>/.generations` is a small memory-mapped file: a 64-byte header (magic `MKGT`,
/// version, slot count, and the clear epoch), then ``slotCount`` 64-bit counters. An entry uses
/// the counter of its key digest modulo the slot count. A set or delete bumps that counter after
/// its rename or unlink and before it returns; a clear bumps the epoch after its walk. A reader
/// records the counter and the epoch before it reads a file and keeps the copy only while both
/// are unchanged. Keys that share a counter only cost each other an extra file read.
///
/// The memory is shared with other processes through `MAP_SHARED` and only ever touched through
/// atomic operations, so a bump that returned in one process is seen by the next load in any other.
// @unchecked Sendable: `base` never changes after init; the memory it points to is read and
// written only through `Atomic` operations (safe from any thread and any process); and it is
// unmapped or freed only in deinit, when no other reference to the table exists.
final class GenerationTable: @unchecked Sendable {
    /// The file's name in the cache directory.
    static let fileName = ".generations"
    /// 128 KiB of counters: with the default memory tier (200 entries) a write makes another
    /// key's copy re-read its file about once in 80 writes; the file stays small enough for a
    /// tiny file system.
    static let slotCount = 1 << 14
    static let version: UInt32 = 1
    /// "MKGT" in file order.
    static let magic: (UInt8, UInt8, UInt8, UInt8) = (0x4D, 0x4B, 0x47, 0x54)
    static let headerLength = 64
    static let epochOffset = 16
    static var fileLength: Int { headerLength + slotCount * 8 }

    /// What a memory copy remembers of the table: its counter and the epoch, read before the file.
    struct Stamp: Equatable, Sendable {
        var counter: UInt64
        var epoch: UInt64

        /// What the table reads after this process's own bump, provided nobody else bumped the
        /// counter or the epoch since `self` was read. Any other change makes a copy recorded
        /// with it fail its next check, so the next lookup reads the file.
        var afterOwnBump: Stamp { Stamp(counter: counter &+ 1, epoch: epoch) }
    }

    private let base: UnsafeMutableRawPointer
    private let counters: UnsafeMutablePointer<Atomic<UInt64>>
    private let epoch: UnsafeMutablePointer<Atomic<UInt64>>
    /// Whether `base` is the shared file's mapping (else private memory: see ``notice``).
    let isShared: Bool
    /// Something the operator should know, for the log: the file was damaged or of another
    /// version and was recreated, or it could not be used at all. `nil` when all is well.
    let notice: String?

    /// Opens `<directory>/.generations`, creating it or recreating a damaged one. Never fails:
    /// when the file cannot be created or mapped, the table is private to this process (memory
    /// hits are then only kept fresh against this process's own changes) and ``notice`` says why.
    init(directory root: Int32, path: String) {
        let length = Self.fileLength
        let display = path + "/" + Self.fileName
        switch Self.mapShared(directory: root, display: display, length: length) {
        case .mapped(let pointer, let repaired):
            base = pointer
            isShared = true
            notice = repaired
            Self.guardMapping(pointer)
        case .unusable(let failure):
            base = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 64)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: length)
            // No other process can see this table, nor this process theirs: no memory copy is
            // trusted, every hit reads its file.
            (base + Self.epochOffset).storeBytes(of: Self.untrusted, as: UInt64.self)
            isShared = false
            notice = "\(failure); without the shared table every memory hit reads its file again, so another process's change is never served stale (memory hits cost a file read until the table works)"
        }
        counters = (base + Self.headerLength).bindMemory(to: Atomic<UInt64>.self, capacity: Self.slotCount)
        epoch = (base + Self.epochOffset).bindMemory(to: Atomic<UInt64>.self, capacity: 1)
    }

    deinit {
        if isShared {
            Self.unguardMapping(base)
            munmap(base, Self.fileLength)
        } else {
            base.deallocate()
        }
    }

    /// Whether memory copies can be trusted at all: false once the table was found truncated
    /// under its mapping, or when it could not be shared.
    var isTrusted: Bool { epoch.pointee.load(ordering: .acquiring) != Self.untrusted }

    /// The counter an entry uses. The stripes and directory names use other digest bits.
    @inline(__always)
    static func slot(of digest: EntryDigest) -> Int32 {
        Int32(truncatingIfNeeded: digest.w2 & UInt64(slotCount - 1))
    }

    /// The counter of `slot` and the epoch now; read it before reading the file it will vouch for.
    @inline(__always)
    func stamp(_ slot: Int32) -> Stamp {
        Stamp(counter: counters[Int(slot)].load(ordering: .acquiring), epoch: epoch.pointee.load(ordering: .acquiring))
    }

    /// Whether nothing changed the entries of `slot` since `recorded` was read.
    @inline(__always)
    func isCurrent(_ slot: Int32, _ recorded: Stamp) -> Bool {
        counters[Int(slot)].load(ordering: .acquiring) == recorded.counter
            && epoch.pointee.load(ordering: .acquiring) == recorded.epoch
            && recorded.epoch != Self.untrusted
    }

    /// Marks every entry of `slot` changed; call it after the rename or unlink, before returning.
    func bump(_ slot: Int32) {
        counters[Int(slot)].wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    /// Marks every entry changed (a clear); call it after the files are gone.
    func bumpEpoch() {
        // An untrusted table stays untrusted, and a bump never lands on the untrusted value.
        var seen = epoch.pointee.load(ordering: .sequentiallyConsistent)
        while seen != Self.untrusted {
            let next = seen &+ 1 == Self.untrusted ? 0 : seen &+ 1
            let (done, current) = epoch.pointee.compareExchange(expected: seen, desired: next, ordering: .sequentiallyConsistent)
            if done { return }
            seen = current
        }
    }
}
