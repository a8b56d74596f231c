/// Turns frames into the bytes that bring a terminal from the previous frame to the new one,
/// writing only the cells that changed, so a once-a-second update never flickers.
///
/// Each changed row gets one cursor move and the span from its first to its last changed cell.
/// Without colour (`NO_COLOR`) no SGR sequence is written at all.
struct ScreenWriter: Sendable {
    let colors: Bool
    private var previous: [ScreenLine]?
    /// Rows (0-based) the last ``update(_:)`` wrote, for tests and the benchmark.
    private(set) var lastWrittenRows: [Int] = []

    init(colors: Bool) {
        self.colors = colors
    }

    /// The next update clears the screen and writes every row (after a resize or Ctrl-L).
    mutating func invalidate() {
        previous = nil
    }

    mutating func update(_ lines: [ScreenLine]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var current: TextStyle?
        lastWrittenRows = []
        let full = previous.map { $0.count != lines.count || zip($0, lines).contains { $0.width != $1.width } } ?? true
        if full { out.append(contentsOf: Array(((colors ? "\u{1B}[0m" : "") + "\u{1B}[H\u{1B}[2J").utf8)) }
        for (row, line) in lines.enumerated() {
            guard let span = full ? (line.width > 0 ? 0..<line.width : nil) : changedSpan(row: row, line: line) else { continue }
            lastWrittenRows.append(row)
            out.append(contentsOf: Array("\u{1B}[\(row + 1);\(span.lowerBound + 1)H".utf8))
            for cell in line.cells[span] where !cell.isContinuation {
                if colors, cell.style != current {
                    out.append(contentsOf: Array("\u{1B}[\(cell.style.sgrParameters)m".utf8))
                    current = cell.style
                }
                out.append(contentsOf: Array(String(cell.character).utf8))
            }
        }
        if colors, let current, current != .plain { out.append(contentsOf: Array("\u{1B}[0m".utf8)) }
        previous = lines
        return out
    }

    /// The columns of `row` that differ from the previous frame, widened so they never start or
    /// end inside a double-width character.
    private func changedSpan(row: Int, line: ScreenLine) -> Range<Int>? {
        guard let previous, row < previous.count else { return 0..<line.width }
        let old = previous[row].cells, new = line.cells
        guard old != new else { return nil }
        guard old.count == new.count, var first = new.indices.first(where: { old[$0] != new[$0] }) else {
            return 0..<new.count
        }
        var last = new.count - 1
        while last > first, old[last] == new[last] { last -= 1 }
        while first > 0, new[first].isContinuation || old[first].isContinuation { first -= 1 }
        while last + 1 < new.count, new[last + 1].isContinuation || old[last + 1].isContinuation { last += 1 }
        return first..<(last + 1)
    }
}
