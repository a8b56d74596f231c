import MonitorKitCore
import Testing

/// The parser reads what a remote server sends (`monitord top --url`): input it cannot trust. Every
/// malformed text is a thrown error with a reason, never a trap.
@Suite("JSON parser, hostile input")
struct JSONParserHostileInputTests {
    @Test("broken surrogates are an error, not an overflow", arguments: [
        #""\uD800\u0000""#, #""\uDBFF\uFFFF""#, #""\uD800""#, #""\uD800x""#, #""\uD800\uD800""#,
        #""\uDC00""#, #""\uD800\n""#, #""\uD800\u00""#,
    ])
    func surrogates(text: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONParser.Error)?.message.contains("surrogate") == true
                || (error as? JSONParser.Error)?.message.contains("\\u escape") == true
        }
    }

    @Test func aValidPairAtTheEdgesOfTheRangeDecodes() throws {
        #expect(try JSONParser.parse(#""\uD800\uDC00\uDBFF\uDFFF""#) == .string("\u{10000}\u{10FFFF}"))
    }

    @Test("escapes that are cut short or not JSON are errors", arguments: [
        #""\u12""#, #""\u+123""#, #""\u-123""#, #""\u 123""#, #""\"#, #""\x""#, #""\u""#,
    ])
    func truncatedEscapes(text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test func deepNestingIsAnErrorAtAFixedDepth() {
        for open in ["[", "{\"a\":"] {
            let text = String(repeating: open, count: 100_000)
            #expect {
                try JSONParser.parse(text)
            } throws: { error in
                (error as? JSONParser.Error)?.message == "nesting too deep"
            }
        }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONParser.parse(fine)) != nil)
    }

    @Test("numbers out of range or malformed are errors", arguments: [
        "1e400", "-1e400", String(repeating: "9", count: 400), "-", "1-2", "1e", "01x", "+1", "1..2",
    ])
    func badNumbers(text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test func largeButFiniteNumbersStillRead() throws {
        #expect(try JSONParser.parse("99999999999999999999") == .double(1e20))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int.min))
        #expect(try JSONParser.parse("1.5e300") == .double(1.5e300))
    }
}
