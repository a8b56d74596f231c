import NIOCore

/// An entry of the memory tier, as stored and as handed out (``MemoryTier`` keeps the plain fields
/// in its recency list and the rest in arrays beside it).
struct MemoryEntry {
    var key: String
    /// The value, shared with every reader (a hit hands out the buffer, never a copy).
    var value: ByteBuffer
    /// The value's checksum (its `ETag`).
    var tag: UInt64
    var metadata: [String: String]
    /// Unix seconds.
    var created: Double
    /// Unix seconds; 0 when the entry never expires.
    var expires: Double
    /// The entry's record in the disk index (every memory entry is also on disk).
    var diskSlot: Int32
    /// The key's counter in the ``GenerationTable``.
    var tableSlot: Int32
    /// What the table read when the file this copy came from was current: a hit serves the copy
    /// only while the table still reads the same.
    var stamp: GenerationTable.Stamp
}
