import SHA256Digest

/// The SHA-256 of a key: it names the entry's file (`ab/cd/abcd…` under the cache directory) and
/// keys the disk index.
struct EntryDigest: Hashable, Sendable {
    // The 32 digest bytes as four words, so hashing and comparing stay cheap.
    let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    init(key: String) {
        // The digest's 32 bytes land in the words' memory, in order; each word is then read as
        // little-endian, so byte i of the digest is byte i % 8 of word i / 8 on any machine.
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var key = key
        key.withUTF8 { utf8 in
            withUnsafeMutableBytes(of: &words) { SHA256Digest.hash(UnsafeRawBufferPointer(utf8), into: $0) }
        }
        (w0, w1, w2, w3) = (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1),
                            UInt64(littleEndian: words.2), UInt64(littleEndian: words.3))
    }

    /// Parses the 64 lowercase hex digits of a file name; `nil` for anything else.
    init?(hex name: UnsafeBufferPointer<UInt8>) {
        guard name.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in 0..<4 {
            // Digest bytes are stored in memory order, so byte i of the word is its i-th lowest byte.
            var value: UInt64 = 0
            for byte in 0..<8 {
                let index = (word * 8 + byte) * 2
                guard let high = Self.nibble(name[index]), let low = Self.nibble(name[index + 1]) else { return nil }
                value |= UInt64(high << 4 | low) << (UInt64(byte) * 8)
            }
            switch word {
            case 0: words.0 = value
            case 1: words.1 = value
            case 2: words.2 = value
            default: words.3 = value
            }
        }
        (w0, w1, w2, w3) = words
    }

    /// Appends `ab/cd/<64 hex digits>` to `path`.
    func appendRelativePath(to path: inout [CChar]) {
        appendDirectory(to: &path)
        path.append(Self.slash)
        appendHex(to: &path, byteCount: 32)
    }

    /// Appends `ab/cd` (the entry's directory) to `path`.
    func appendDirectory(to path: inout [CChar]) {
        appendHex(to: &path, byteCount: 1)
        path.append(Self.slash)
        appendHex(to: &path, byteCount: 2, from: 1)
    }

    /// The two bytes that name the entry's directories (`ab`, `cd`).
    var directoryBytes: (UInt8, UInt8) { (byte(0), byte(1)) }

    private static let slash = CChar(truncatingIfNeeded: UInt8(ascii: "/"))

    /// The 64-digit hex name.
    var hex: String {
        var chars: [CChar] = []
        chars.reserveCapacity(64)
        appendHex(to: &chars, byteCount: 32)
        return String(decoding: chars.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func appendHex(to path: inout [CChar], byteCount: Int, from start: Int = 0) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        for index in start..<byteCount {
            let byte = self.byte(index)
            path.append(CChar(truncatingIfNeeded: table[Int(byte >> 4)]))
            path.append(CChar(truncatingIfNeeded: table[Int(byte & 0x0F)]))
        }
    }

    private func byte(_ index: Int) -> UInt8 {
        let word: UInt64
        switch index >> 3 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return UInt8(truncatingIfNeeded: word >> (UInt64(index & 7) * 8))
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
