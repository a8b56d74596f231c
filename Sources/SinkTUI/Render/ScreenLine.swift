/// One character cell of the screen.
struct Cell: Hashable, Sendable {
    var character: Character
    var style: TextStyle
    /// The right half of a double-width character: the terminal draws it, the writer skips it.
    var isContinuation: Bool

    init(_ character: Character, style: TextStyle = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    static let blank = Cell(" ")
}

/// One row of the screen: exactly as many cells as the screen is wide.
struct ScreenLine: Hashable, Sendable {
    var cells: [Cell]

    init(cells: [Cell]) { self.cells = cells }

    /// A blank row.
    init(width: Int) { cells = Array(repeating: .blank, count: max(0, width)) }

    var width: Int { cells.count }

    /// The characters without styles, trailing blanks kept (a snapshot trims them).
    var text: String {
        var out = ""
        out.reserveCapacity(cells.count)
        for cell in cells where !cell.isContinuation { out.append(cell.character) }
        return out
    }
}

/// How many columns a character takes in a terminal.
///
/// A small table instead of `wcwidth`, which needs a process-wide `setlocale` a plugin must not
/// make: East Asian wide and emoji ranges take two columns, everything else one.
enum DisplayWidth {
    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x1100 { return 1 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// `text` cut to at most `width` columns, ending with `…` when something was cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }
}
