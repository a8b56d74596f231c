import Testing
@testable import SinkTUI

@Suite struct KeyDecoderTests {
    @Test func lettersAndControlKeys() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("qrc?y".utf8)) == [.character("q"), .character("r"), .character("c"), .character("?"), .character("y")])
        #expect(decoder.feed([0x03, 0x09, 0x0C, 0x0D, 0x7F]) == [.interrupt, .tab, .redraw, .enter, .backspace])
    }

    @Test func arrowsInBothCursorModesAndShiftTab() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D".utf8)) == [.up, .down, .right, .left])
        #expect(decoder.feed(Array("\u{1B}OA\u{1B}OD".utf8)) == [.up, .left])
        #expect(decoder.feed(Array("\u{1B}[Z".utf8)) == [.backTab])
        // Page Down is a whole sequence the view does not use; Ctrl+Right is still Right.
        #expect(decoder.feed(Array("\u{1B}[6~\u{1B}[1;5Cq".utf8)) == [.unknown, .right, .character("q")])
    }

    @Test func aSequenceSplitAcrossReadsIsKeptUntilItCompletes() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.hasPending)
        #expect(decoder.feed(Array("[".utf8)).isEmpty)
        #expect(decoder.feed(Array("C".utf8)) == [.right])
        #expect(!decoder.hasPending)
    }

    @Test func aLoneEscapeIsTheEscapeKeyOnceInputPauses() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.flush() == [.escape])
        #expect(!decoder.hasPending)
    }

    @Test func utf8CharactersSplitAcrossReads() {
        var decoder = KeyDecoder()
        let bytes = Array("é".utf8)
        #expect(decoder.feed(bytes.prefix(1)).isEmpty)
        #expect(decoder.feed(bytes.dropFirst()) == [.character("é")])
    }
}
