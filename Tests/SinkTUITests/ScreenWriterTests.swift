import Foundation
import Testing
@testable import SinkTUI

@Suite struct ScreenWriterTests {
    func line(_ text: String, width: Int = 20, style: TextStyle = .plain) -> ScreenLine {
        var b = LineBuilder(width: width)
        b.text(text, style)
        return b.build()
    }

    func frame(_ rows: [String], style: TextStyle = .color(.green, bold: true)) -> [ScreenLine] {
        rows.map { line($0, style: style) }
    }

    /// The cursor moves (`ESC [ row ; col H`) in the output, as (row, column) 1-based.
    func cursorMoves(_ bytes: [UInt8]) -> [(Int, Int)] {
        let text = String(decoding: bytes, as: UTF8.self)
        var moves: [(Int, Int)] = []
        for piece in text.split(separator: "\u{1B}").dropFirst(text.hasPrefix("\u{1B}") ? 0 : 1) {
            guard piece.hasPrefix("["), let end = piece.firstIndex(of: "H") else { continue }
            let numbers = piece[piece.index(after: piece.startIndex)..<end].split(separator: ";").compactMap { Int($0) }
            if numbers.count == 2 { moves.append((numbers[0], numbers[1])) }
        }
        return moves
    }

    func hasSGR(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) != nil
    }

    @Test func theFirstFrameClearsAndWritesEveryRow() {
        var writer = ScreenWriter(colors: true)
        let bytes = writer.update(frame(["one", "two", "three"]))
        #expect(String(decoding: bytes, as: UTF8.self).contains("\u{1B}[2J"))
        #expect(writer.lastWrittenRows == [0, 1, 2])
        #expect(cursorMoves(bytes).map(\.0) == [1, 2, 3])
    }

    @Test func anUnchangedFrameWritesNothing() {
        var writer = ScreenWriter(colors: true)
        _ = writer.update(frame(["one", "two", "three"]))
        let bytes = writer.update(frame(["one", "two", "three"]))
        #expect(bytes.isEmpty)
        #expect(writer.lastWrittenRows.isEmpty)
    }

    @Test func onlyTheChangedCellsOfTheChangedLineAreWritten() {
        var writer = ScreenWriter(colors: false)
        _ = writer.update(frame(["uptime 2h 14m", "hit rate 90.1%", "footer"]))
        let bytes = writer.update(frame(["uptime 2h 14m", "hit rate 90.7%", "footer"]))
        #expect(writer.lastWrittenRows == [1])
        let moves = cursorMoves(bytes)
        #expect(moves.count == 1)
        // "hit rate 90.1%" → "hit rate 90.7%": only column 13 (1-based) changed.
        #expect(moves.first.map { $0 == (2, 13) } == true)
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1B}[2;13H7")
    }

    @Test func aStyleChangeAloneIsAChange() {
        var writer = ScreenWriter(colors: true)
        _ = writer.update([line("state ok", style: .color(.green))])
        let bytes = writer.update([line("state ok", style: .color(.red))])
        #expect(writer.lastWrittenRows == [0])
        #expect(String(decoding: bytes, as: UTF8.self).contains("\u{1B}[0;31m"))
    }

    @Test func noColorWritesNoStyleSequencesAtAll() {
        var plain = ScreenWriter(colors: false)
        var colored = ScreenWriter(colors: true)
        let lines = DashboardRenderer(width: 100, height: 30, now: Fixtures.t0).render(Fixtures.state())
        let withColor = colored.update(lines)
        let without = plain.update(lines)
        #expect(hasSGR(withColor))
        #expect(!hasSGR(without))
        // What remains is text and cursor addressing only.
        let text = String(decoding: without, as: UTF8.self)
        let stripped = text.replacingOccurrences(of: "\u{1B}\\[(\\d+;\\d+H|H|2J)", with: "", options: .regularExpression)
        #expect(!stripped.contains("\u{1B}"))
    }

    @Test func aSizeChangeOrInvalidateRepaintsEverything() {
        var writer = ScreenWriter(colors: false)
        _ = writer.update(frame(["a", "b"]))
        _ = writer.update(frame(["a", "b", "c"]))
        #expect(writer.lastWrittenRows == [0, 1, 2])
        writer.invalidate()
        let bytes = writer.update(frame(["a", "b", "c"]))
        #expect(writer.lastWrittenRows == [0, 1, 2])
        #expect(String(decoding: bytes, as: UTF8.self).contains("\u{1B}[2J"))
    }

    @Test func wideCharactersAreWrittenWhole() {
        var writer = ScreenWriter(colors: false)
        _ = writer.update([line("ab漢字cd")])
        let bytes = writer.update([line("ab漢子cd")])
        // 字 → 子 sits in columns 5-6: the span starts at the character, not at its right half.
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1B}[1;5H子")
    }

    @Test func oneSecondOfClockTickOnAFullDashboardRewritesOnlyTheHeader() {
        var writer = ScreenWriter(colors: true)
        let state = Fixtures.state()
        _ = writer.update(DashboardRenderer(width: 120, height: 40, now: Fixtures.t0).render(state))
        let bytes = writer.update(DashboardRenderer(width: 120, height: 40, now: Fixtures.t0 + 1).render(state))
        // The clock and uptime change; cards, charts and "sampled … ago" may too, but not everything.
        #expect(writer.lastWrittenRows.contains(0))
        #expect(writer.lastWrittenRows.count <= 4)
        #expect(bytes.count < 400)
    }
}
