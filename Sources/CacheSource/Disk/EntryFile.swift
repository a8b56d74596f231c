/// The on-disk format of one cache entry (little-endian):
///
/// ```
/// 0   magic "MKCE"            4   version UInt16 (1)     6   flags UInt16 (0)
/// 8   header length UInt32    12  key length UInt32      16  metadata count UInt32
/// 20  reserved UInt32         24  value length UInt64
/// 32  created Float64 (Unix s)                           40  expires Float64 (0 = never)
/// 48  key bytes, then per metadata pair: name length UInt32, value length UInt32, name, value
///     checksum UInt64 = XXH64(value, seed: XXH64(header up to the checksum))
///     value bytes
/// ```
/// The header length includes the checksum, so the value starts at that offset and the file is
/// exactly header length + value length bytes long; anything else is a torn or damaged file.
enum EntryFile {
    static let magic: UInt32 = 0x4543_4B4D  // "MKCE" read as a little-endian word
    static let version: UInt16 = 1
    static let fixedLength = 48
    /// Bytes the start-up scan reads to learn an entry's header (most headers are far smaller).
    static let probeLength = 4096
    /// The largest metadata a single entry may carry, encoded.
    static let maxMetadataBytes = 65536

    /// The fields of the fixed header, which is all the start-up scan needs.
    struct Fixed {
        var headerLength: Int
        var keyLength: Int
        var metadataCount: Int
        var valueLength: Int
        var created: Double
        var expires: Double

        /// The file size the header promises.
        var fileLength: Int { headerLength + valueLength }
    }

    /// A decoded, verified entry.
    struct Decoded {
        var metadata: [String: String]
        var value: [UInt8]
        var created: Double
        var expires: Double
    }

    enum Damage: Error { case damaged }

    /// The encoded metadata length of `metadata`, to check the limit before encoding.
    static func metadataLength(_ metadata: [String: String]) -> Int {
        metadata.reduce(0) { $0 + 8 + $1.key.utf8.count + $1.value.utf8.count }
    }

    /// The length of an entry's header, checksum included: its file is this plus the value's length.
    static func headerLength(keyLength: Int, metadataLength: Int) -> Int {
        fixedLength + keyLength + metadataLength + 8
    }

    /// The header bytes for an entry, checksum included; the value is written after them.
    static func header(key: String, metadata: [String: String], created: Double, expires: Double, value: UnsafeRawBufferPointer) -> [UInt8] {
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
        append(&out, UInt64(value.count))
        append(&out, created.bitPattern)
        append(&out, expires.bitPattern)
        out.append(contentsOf: key.utf8)
        // Sorted so the same entry always encodes to the same bytes.
        for (name, text) in metadata.sorted(by: { $0.key < $1.key }) {
            append(&out, UInt32(name.utf8.count))
            append(&out, UInt32(text.utf8.count))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: text.utf8)
        }
        let sum = Checksum64.hash(value, seed: out.withUnsafeBytes { Checksum64.hash($0) })
        append(&out, sum)
        return out
    }

    /// Reads the fixed header; `nil` when the magic, version or lengths are wrong.
    static func fixed(_ bytes: UnsafeRawBufferPointer) -> Fixed? {
        guard bytes.count >= fixedLength,
              load(bytes, 0, UInt32.self) == magic,
              load(bytes, 4, UInt16.self) == version
        else { return nil }
        let headerLength = Int(load(bytes, 8, UInt32.self))
        let keyLength = Int(load(bytes, 12, UInt32.self))
        let metadataCount = Int(load(bytes, 16, UInt32.self))
        let valueLength = load(bytes, 24, UInt64.self)
        guard headerLength >= fixedLength + keyLength + 8 + metadataCount * 8,
              valueLength <= UInt64(Int.max / 2)
        else { return nil }
        return Fixed(
            headerLength: headerLength, keyLength: keyLength, metadataCount: metadataCount,
            valueLength: Int(valueLength),
            created: Double(bitPattern: load(bytes, 32, UInt64.self)),
            expires: Double(bitPattern: load(bytes, 40, UInt64.self)))
    }

    /// Verifies and decodes a whole file read into `bytes`, for `key`. Throws ``Damage`` for a
    /// torn, bit-flipped or misplaced file.
    static func decode(_ bytes: UnsafeRawBufferPointer, key: String) throws(Damage) -> Decoded {
        guard let fixed = fixed(bytes), fixed.fileLength == bytes.count else { throw .damaged }
        let checksumOffset = fixed.headerLength - 8
        let header = UnsafeRawBufferPointer(rebasing: bytes[0..<checksumOffset])
        let value = UnsafeRawBufferPointer(rebasing: bytes[fixed.headerLength...])
        guard Checksum64.hash(value, seed: Checksum64.hash(header)) == load(bytes, checksumOffset, UInt64.self) else { throw .damaged }
        var wantedKey = key
        let storedKey = UnsafeRawBufferPointer(rebasing: bytes[fixedLength..<fixedLength + fixed.keyLength])
        let keyMatches = wantedKey.withUTF8 { storedKey.elementsEqual(UnsafeRawBufferPointer($0)) }
        guard keyMatches else { throw .damaged }
        var metadata: [String: String] = [:]
        var offset = fixedLength + fixed.keyLength
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
        return Decoded(metadata: metadata, value: Array(value), created: fixed.created, expires: fixed.expires)
    }

    private static func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ type: T.Type) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
