/// An entry of the memory tier, as stored and as handed out (``MemoryTier`` keeps the fields in
/// parallel arrays).
struct MemoryEntry {
    var key: String
    var value: [UInt8]
    var metadata: [String: String]
    /// Unix seconds.
    var created: Double
    /// Unix seconds; 0 when the entry never expires.
    var expires: Double
    /// The entry's record in the disk index (every memory entry is also on disk).
    var diskSlot: Int32
}
