/// What the disk index knows of one entry file, without reading it.
struct DiskRecord {
    var digest: EntryDigest
    var stamp: FileStamp
    /// Unix seconds; 0 when the entry never expires; ``unknownExpiry`` until the header is read
    /// (the start-up scan reads no headers; the first sweep does).
    var expires: Double
    /// The entry's slot in the memory tier, or -1.
    var memorySlot: Int32
    /// ``DiskIndex/generation`` when the record last changed, so a sweep that started earlier
    /// leaves it alone.
    var generation: UInt64
    /// The sweep that last saw the file on disk.
    var seenEpoch: UInt32
    /// Whether this version of the file (``stamp``) is known to hold its checksums: this manager
    /// wrote it, or read it whole and checked it. A value streamed from disk is checked on its
    /// first read and then served without re-reading it first, until the file changes.
    var verified = false

    static let unknownExpiry: Double = -1

    var isExpiryKnown: Bool { expires != Self.unknownExpiry }

    @inline(__always)
    func isExpired(at now: Double) -> Bool { expires > 0 && expires <= now }
}
