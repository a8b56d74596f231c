/// The eight standard ANSI colours plus bright black, which every terminal renders.
enum TerminalColor: UInt8, Sendable, Hashable {
    case black = 0, red, green, yellow, blue, magenta, cyan, white
    case gray = 8
}

/// How a cell looks. The renderer always attaches styles; the ``ScreenWriter`` drops them all
/// under `NO_COLOR`, so the view never relies on colour alone (states are also spelled out).
struct TextStyle: Hashable, Sendable {
    var foreground: TerminalColor?
    var bold = false
    var dim = false
    var inverse = false

    static let plain = TextStyle()

    init(foreground: TerminalColor? = nil, bold: Bool = false, dim: Bool = false, inverse: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.inverse = inverse
    }

    static func color(_ color: TerminalColor, bold: Bool = false) -> TextStyle {
        TextStyle(foreground: color, bold: bold)
    }

    static let bold = TextStyle(bold: true)
    static let dim = TextStyle(dim: true)
    static let title = TextStyle(foreground: .cyan, bold: true)
    static let label = TextStyle(foreground: .gray)
    static let bar = TextStyle(inverse: true)

    /// The SGR parameters that select this style from a reset state (`0` first).
    var sgrParameters: String {
        var parts = ["0"]
        if bold { parts.append("1") }
        if dim { parts.append("2") }
        if inverse { parts.append("7") }
        if let foreground {
            parts.append(foreground == .gray ? "90" : String(30 + Int(foreground.rawValue)))
        }
        return parts.joined(separator: ";")
    }
}
