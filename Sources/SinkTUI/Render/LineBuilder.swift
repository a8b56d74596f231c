/// Builds one ``ScreenLine`` left to right, clipping at the screen width.
///
/// Control characters in text from the wire (alert summaries, source ids) are shown as `?` so a
/// hostile or broken value can never move the cursor or change the terminal's state.
struct LineBuilder {
    let width: Int
    private(set) var cells: [Cell] = []
    /// The style blank padding gets (the header bar pads in inverse).
    var fillStyle: TextStyle

    init(width: Int, fill: TextStyle = .plain) {
        self.width = max(0, width)
        self.fillStyle = fill
        cells.reserveCapacity(self.width)
    }

    /// The next column written.
    var column: Int { cells.count }
    var remaining: Int { width - cells.count }

    mutating func text(_ text: String, _ style: TextStyle = .plain) {
        for character in text {
            let safe: Character = character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ? "?" : character
            let w = DisplayWidth.of(safe)
            guard cells.count + w <= width else {
                // A wide character that does not fit leaves a blank rather than half a glyph.
                if w == 2, cells.count < width { cells.append(Cell(" ", style: style)) }
                cells = Array(cells.prefix(width))
                return
            }
            cells.append(Cell(safe, style: style))
            if w == 2 { cells.append(Cell(" ", style: style, isContinuation: true)) }
        }
    }

    /// `text` cut with `…` to at most `limit` columns.
    mutating func text(_ text: String, _ style: TextStyle = .plain, limit: Int) {
        self.text(DisplayWidth.truncate(text, to: max(0, min(limit, remaining))), style)
    }

    /// Blank (or `character`) cells up to `column`.
    mutating func pad(to column: Int, with character: Character = " ", _ style: TextStyle? = nil) {
        let target = min(width, column)
        while cells.count < target { cells.append(Cell(character, style: style ?? fillStyle)) }
    }

    mutating func space(_ count: Int = 1) {
        pad(to: column + count)
    }

    /// `text` right-aligned in a field of `fieldWidth` columns starting at the current column.
    mutating func text(_ text: String, _ style: TextStyle = .plain, rightAlignedIn fieldWidth: Int) {
        let shown = DisplayWidth.truncate(text, to: fieldWidth)
        pad(to: column + fieldWidth - DisplayWidth.of(shown))
        self.text(shown, style)
    }

    /// Writes `text` so that it ends at the right edge, when it fits after what is there.
    mutating func trailing(_ text: String, _ style: TextStyle = .plain, gap: Int = 1) {
        let w = DisplayWidth.of(text)
        guard column + gap + w <= width else { return }
        pad(to: width - w)
        self.text(text, style)
    }

    func build() -> ScreenLine {
        var cells = self.cells
        while cells.count < width { cells.append(Cell(" ", style: fillStyle)) }
        return ScreenLine(cells: cells)
    }
}
