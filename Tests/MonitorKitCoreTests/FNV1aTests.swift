import Testing
import MonitorKitCore

@Suite("FNV-1a")
struct FNV1aTests {
    @Test("the 64-bit FNV-1a of the reference strings, as 16 zero-padded hex digits")
    func referenceVectors() {
        #expect(FNV1a().hex == "cbf29ce484222325")
        for (text, expected) in [("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")] {
            var hash = FNV1a()
            hash.combine(text.utf8)
            #expect(hash.hex == expected, "\(text)")
        }
    }

    @Test("combining byte by byte is combining the sequence")
    func byteBySequence() {
        var one = FNV1a()
        var many = FNV1a()
        for byte in "monitord".utf8 { one.combine(byte) }
        many.combine("monitord".utf8)
        #expect(one == many)
    }
}
