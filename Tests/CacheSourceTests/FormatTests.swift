import Testing
@testable import CacheSource

@Suite("Building blocks")
struct FormatTests {
    @Test("Checksum64 is XXH64 (reference vectors)")
    func xxh64Vectors() {
        #expect(Checksum64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(Checksum64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(Checksum64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(Checksum64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test("chaining the checksum covers both buffers")
    func chaining() {
        let a = Checksum64.hash([1, 2, 3], seed: Checksum64.hash([4]))
        let b = Checksum64.hash([1, 2, 3], seed: Checksum64.hash([5]))
        #expect(a != b)
    }

    @Test("a digest's hex name round-trips and names two directory levels")
    func digestNames() {
        let digest = EntryDigest(key: "abc")
        // SHA-256("abc")
        #expect(digest.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let parsed = Array(digest.hex.utf8).withUnsafeBufferPointer { EntryDigest(hex: $0) }
        #expect(parsed == digest)
        var path: [CChar] = []
        digest.appendRelativePath(to: &path)
        path.append(0)
        #expect(DiskTier.string(path) == "ba/78/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Array("BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".utf8).withUnsafeBufferPointer { EntryDigest(hex: $0) } == nil)
    }

    @Test("an entry file round-trips, and any change to it is detected")
    func entryRoundTrip() throws {
        let value: [UInt8] = Array(0..<200)
        let header = EntryFile.header(
            key: "k", metadata: ["b": "2", "a": "1"], created: 10, expires: 20, valueLength: value.count, valueChecksum: Checksum64.hash(value))
        let file = header + value
        let decoded = try file.withUnsafeBytes { try EntryFile.decode($0, key: "k") }
        #expect(Array(file[decoded.valueRange]) == value)
        #expect(decoded.metadata == ["a": "1", "b": "2"])
        #expect(decoded.created == 10 && decoded.expires == 20)
        #expect(decoded.tag == Checksum64.hash(value))
        for offset in stride(from: 0, to: file.count, by: 7) {
            var damaged = file
            damaged[offset] ^= 0x40
            #expect(throws: EntryFile.Damage.self) { try damaged.withUnsafeBytes { try EntryFile.decode($0, key: "k") } }
        }
        #expect(throws: EntryFile.Damage.self) { try Array(file.dropLast()).withUnsafeBytes { try EntryFile.decode($0, key: "k") } }
        #expect(throws: EntryFile.Damage.self) { try file.withUnsafeBytes { try EntryFile.decode($0, key: "other") } }
    }

    @Test("the streaming checksum equals the one-shot checksum however the bytes are cut")
    func streamingChecksum() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 31, 32, 33, 63, 64, 100, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for seed: UInt64 in [0, 0x1234_5678_9ABC] {
                var hasher = Checksum64.Hasher(seed: seed)
                var offset = 0
                while offset < length {
                    let piece = min(length - offset, Int.random(in: 1...70, using: &generator))
                    bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + piece])) }
                    offset += piece
                }
                #expect(hasher.finish() == Checksum64.hash(bytes, seed: seed), "length \(length), seed \(seed)")
            }
        }
    }

    @Test("a version 1 entry file (written by the previous release) is still read and checked")
    func versionOneFilesStillDecode() throws {
        let value: [UInt8] = Array("old transcript".utf8)
        let file = VersionOneFile.encode(key: "k", metadata: ["lang": "fr"], created: 10, expires: 0, value: value)
        let decoded = try file.withUnsafeBytes { try EntryFile.decode($0, key: "k") }
        #expect(Array(file[decoded.valueRange]) == value)
        #expect(decoded.metadata == ["lang": "fr"])
        #expect(decoded.header.fixed.version == 1)
        var damaged = file
        damaged[damaged.count - 1] ^= 1
        #expect(throws: EntryFile.Damage.self) { try damaged.withUnsafeBytes { try EntryFile.decode($0, key: "k") } }
    }
}

/// The entry format of the first release, written here byte by byte, as an upgraded cache
/// directory holds it.
enum VersionOneFile {
    static func encode(key: String, metadata: [String: String], created: Double, expires: Double, value: [UInt8]) -> [UInt8] {
        func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        let metadataLength = metadata.reduce(0) { $0 + 8 + $1.key.utf8.count + $1.value.utf8.count }
        var out: [UInt8] = []
        append(&out, UInt32(0x4543_4B4D))
        append(&out, UInt16(1))
        append(&out, UInt16(0))
        append(&out, UInt32(48 + key.utf8.count + metadataLength + 8))
        append(&out, UInt32(key.utf8.count))
        append(&out, UInt32(metadata.count))
        append(&out, UInt32(0))
        append(&out, UInt64(value.count))
        append(&out, created.bitPattern)
        append(&out, expires.bitPattern)
        out.append(contentsOf: key.utf8)
        for (name, text) in metadata.sorted(by: { $0.key < $1.key }) {
            append(&out, UInt32(name.utf8.count))
            append(&out, UInt32(text.utf8.count))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: text.utf8)
        }
        append(&out, Checksum64.hash(value, seed: Checksum64.hash(out)))
        return out + value
    }
}
