/// The on-disk format of one cache entry (little-endian):
///
/// ```
/// 0   magic "MKCE"            4   version UInt16 (2)     6   flags UInt16 (0)
/// 8   header length UInt32    12  key length UInt32      16  metadata count UInt32
/// 20  reserved UInt32         24  value length UInt64
/// 32  created Float64 (Unix s)                           40  expires Float64 (0 = never)
/// 48  value checksum UInt64 = XXH64(value)
/// 56  key bytes, then per metadata pair: name length UInt32, value length UInt32, name, value
///     header checksum UInt64 = XXH64(header up to this checksum)
///     value bytes
/// ```
/// The header length includes the checksum, so the value starts at that offset and the file is
/// exactly header length + value length bytes long; anything else is a torn or damaged file.
///
/// The value's checksum stands alone (version 1 chained it to the header's), so a value streamed
/// in is summed as it arrives, before its length is known, and two entries with the same bytes
/// have the same checksum: it is the entry's HTTP `ETag`. Version 1 files (the first 48 bytes
/// are the same; then key, metadata and `XXH64(value, seed: XXH64(header))`) are still read.
enum EntryFile {
    static let magic: UInt32 = 0x4543_4B4D  // "MKCE" read as a little-endian word
    /// The version this release writes.
    static let version: UInt16 = 2
    /// The part of the header every version shares (what the start-up scan and sweep read).
    static let fixedLength = 48
    /// Where the key starts in a version 2 header.
    static let keyOffset = 56
    /// Bytes the start-up scan reads to learn an entry's header (most headers are far smaller).
    static let probeLength = 4096
    /// The largest metadata a single entry may carry, encoded.
    static let maxMetadataBytes = 65536

    /// The fields of the fixed header, which is all the start-up scan needs.
    struct Fixed {
        var version: UInt16
        var headerLength: Int
        var keyLength: Int
        var metadataCount: Int
        var valueLength: Int
        var created: Double
        var expires: Double

        /// The file size the header promises.
        var fileLength: Int { headerLength + valueLength }
        /// Where the key starts.
        var keyOffset: Int { version == 1 ? EntryFile.fixedLength : EntryFile.keyOffset }
    }

    /// A verified header: what describes the value, and how to check the value.
    struct Header {
        var fixed: Fixed
        var metadata: [String: String]
        /// The value checksum stored in a version 2 header; for version 1, the seed its chained
        /// checksum starts from.
        var valueCheck: ValueCheck
        /// The entry's tag: the value's checksum (version 2) or the file's (version 1).
        var tag: UInt64

        enum ValueCheck {
            /// XXH64(value) must equal this.
            case plain(UInt64)
            /// XXH64(value, seed:) must equal `sum` (version 1).
            case chained(seed: UInt64, sum: UInt64)

            var seed: UInt64 {
                switch self {
                case .plain: 0
                case .chained(let seed, _): seed
                }
            }

            func holds(_ sum: UInt64) -> Bool {
                switch self {
                case .plain(let expected): sum == expected
                case .chained(_, let expected): sum == expected
                }
            }
        }
    }

    /// A decoded, verified entry.
    struct Decoded {
        var header: Header
        var metadata: [String: String] { header.metadata }
        /// Where the value lies in the bytes decoded.
        var valueRange: Range<Int>
        var created: Double { header.fixed.created }
        var expires: Double { header.fixed.expires }
        var tag: UInt64 { header.tag }
    }

    enum Damage: Error { case damaged }

    /// The encoded metadata length of `metadata`, to check the limit before encoding.
    static func metadataLength(_ metadata: [String: String]) -> Int {
        metadata.reduce(0) { $0 + 8 + $1.key.utf8.count + $1.value.utf8.count }
    }

    /// The length of an entry's header, checksum included: its file is this plus the value's length.
    static func headerLength(keyLength: Int, metadataLength: Int) -> Int {
        keyOffset + keyLength + metadataLength + 8
    }

    /// The largest header any version can have, for a key of at most `maxKeyBytes`.
    static func maxHeaderLength(maxKeyBytes: Int) -> Int {
        keyOffset + maxKeyBytes + maxMetadataBytes + 8
    }

    /// The header bytes for an entry, checksum included; the value is written after them.
    static func header(key: String, metadata: [String: String], created: Double, expires: Double, valueLength: Int, valueChecksum: UInt64) -> [UInt8] {
        let keyLength = key.utf8.count
        let headerLength = headerLength(keyLength: keyLength, metadataLength: metadataLength(metadata))
        var out: [UInt8] = []
        out.reserveCapacity(headerLength)
        append(&out, magic)
        append(&out, version)
        append(&out, UInt16(0))
        append(&out, UInt32(headerLength))
        append(&out, UInt32(keyLength))
        append(&out, UInt32(metadata.count))
        append(&out, UInt32(0))
        append(&out, UInt64(valueLength))
        append(&out, created.bitPattern)
        append(&out, expires.bitPattern)
        append(&out, valueChecksum)
        out.append(contentsOf: key.utf8)
        // Sorted so the same entry always encodes to the same bytes.
        for (name, text) in metadata.sorted(by: { $0.key < $1.key }) {
            append(&out, UInt32(name.utf8.count))
            append(&out, UInt32(text.utf8.count))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: text.utf8)
        }
        let sum = out.withUnsafeBytes { Checksum64.hash($0) }
        append(&out, sum)
        return out
    }

    /// Reads the fixed header; `nil` when the magic, version or lengths are wrong.
    static func fixed(_ bytes: UnsafeRawBufferPointer) -> Fixed? {
        guard bytes.count >= fixedLength, load(bytes, 0, UInt32.self) == magic else { return nil }
        let version = load(bytes, 4, UInt16.self)
        guard version == 1 || version == 2 else { return nil }
        let headerLength = Int(load(bytes, 8, UInt32.self))
        let keyLength = Int(load(bytes, 12, UInt32.self))
        let metadataCount = Int(load(bytes, 16, UInt32.self))
        let valueLength = load(bytes, 24, UInt64.self)
        let keyOffset = version == 1 ? fixedLength : Self.keyOffset
        guard headerLength >= keyOffset + keyLength + 8 + metadataCount * 8,
              valueLength <= UInt64(Int.max / 2)
        else { return nil }
        return Fixed(
            version: version, headerLength: headerLength, keyLength: keyLength, metadataCount: metadataCount,
            valueLength: Int(valueLength),
            created: Double(bitPattern: load(bytes, 32, UInt64.self)),
            expires: Double(bitPattern: load(bytes, 40, UInt64.self)))
    }

    /// Verifies and decodes a header (`bytes` holds at least its `headerLength` bytes) for `key`.
    /// Throws ``Damage`` for a torn, bit-flipped or misplaced header; the value is checked apart.
    static func header(_ bytes: UnsafeRawBufferPointer, key: String) throws(Damage) -> Header {
        guard let fixed = fixed(bytes), bytes.count >= fixed.headerLength else { throw .damaged }
        let checksumOffset = fixed.headerLength - 8
        let headerSum = Checksum64.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<checksumOffset]))
        let stored = load(bytes, checksumOffset, UInt64.self)
        let check: Header.ValueCheck
        let tag: UInt64
        if fixed.version == 1 {
            check = .chained(seed: headerSum, sum: stored)
            tag = stored
        } else {
            guard headerSum == stored else { throw .damaged }
            let valueSum = load(bytes, 48, UInt64.self)
            check = .plain(valueSum)
            tag = valueSum
        }
        var wantedKey = key
        let keyOffset = fixed.keyOffset
        let storedKey = UnsafeRawBufferPointer(rebasing: bytes[keyOffset..<keyOffset + fixed.keyLength])
        let keyMatches = wantedKey.withUTF8 { storedKey.elementsEqual(UnsafeRawBufferPointer($0)) }
        guard keyMatches else { throw .damaged }
        var metadata: [String: String] = [:]
        var offset = keyOffset + fixed.keyLength
        for _ in 0..<fixed.metadataCount {
            guard offset + 8 <= checksumOffset else { throw .damaged }
            let nameLength = Int(load(bytes, offset, UInt32.self))
            let textLength = Int(load(bytes, offset + 4, UInt32.self))
            offset += 8
            guard nameLength + textLength <= checksumOffset - offset else { throw .damaged }
            let name = String(decoding: bytes[offset..<offset + nameLength], as: UTF8.self)
            let text = String(decoding: bytes[offset + nameLength..<offset + nameLength + textLength], as: UTF8.self)
            metadata[name] = text
            offset += nameLength + textLength
        }
        guard offset == checksumOffset else { throw .damaged }
        return Header(fixed: fixed, metadata: metadata, valueCheck: check, tag: tag)
    }

    /// Verifies and decodes a whole file read into `bytes`, for `key`. Throws ``Damage`` for a
    /// torn, bit-flipped or misplaced file.
    static func decode(_ bytes: UnsafeRawBufferPointer, key: String) throws(Damage) -> Decoded {
        let header = try Self.header(bytes, key: key)
        guard header.fixed.fileLength == bytes.count else { throw .damaged }
        let value = UnsafeRawBufferPointer(rebasing: bytes[header.fixed.headerLength...])
        guard header.valueCheck.holds(Checksum64.hash(value, seed: header.valueCheck.seed)) else { throw .damaged }
        return Decoded(header: header, valueRange: header.fixed.headerLength..<bytes.count)
    }

    private static func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ type: T.Type) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
