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
        let header = value.withUnsafeBytes { EntryFile.header(key: "k", metadata: ["b": "2", "a": "1"], created: 10, expires: 20, value: $0) }
        let file = header + value
        let decoded = try file.withUnsafeBytes { try EntryFile.decode($0, key: "k") }
        #expect(decoded.value == value)
        #expect(decoded.metadata == ["a": "1", "b": "2"])
        #expect(decoded.created == 10 && decoded.expires == 20)
        for offset in stride(from: 0, to: file.count, by: 7) {
            var damaged = file
            damaged[offset] ^= 0x40
            #expect(throws: EntryFile.Damage.self) { try damaged.withUnsafeBytes { try EntryFile.decode($0, key: "k") } }
        }
        #expect(throws: EntryFile.Damage.self) { try Array(file.dropLast()).withUnsafeBytes { try EntryFile.decode($0, key: "k") } }
        #expect(throws: EntryFile.Damage.self) { try file.withUnsafeBytes { try EntryFile.decode($0, key: "other") } }
    }
}
