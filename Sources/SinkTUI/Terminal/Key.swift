/// A key press, decoded from the terminal's bytes.
enum Key: Sendable, Equatable {
    case character(Character)
    case up, down, left, right
    case tab, backTab
    case enter, escape, backspace
    /// Ctrl-C (raw mode delivers it as a byte, not SIGINT).
    case interrupt
    /// Ctrl-L: redraw everything.
    case redraw
    /// A sequence the view does not use.
    case unknown
}
