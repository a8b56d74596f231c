/// Why the terminal view cannot start; each message says what to do.
public enum TUIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `tui` sink was enabled but stdout is a pipe or a file. (The runtime prefixes the
    /// messages of these two with `sinks.<id>: `.)
    case notATerminal(sink: String)
    /// `source:` names a source the daemon does not have.
    case unknownSource(sink: String, source: String, known: [String])
    /// `monitord top` without `--once` on a stream that is not a terminal.
    case topNeedsTerminal
    /// The terminal cannot draw a full-screen view (`TERM=dumb`).
    case dumbTerminal

    /// The message monitord prints.
    public var description: String {
        switch self {
        case .notATerminal(let sink):
            "the tui sink needs a terminal on stdout, but stdout is not a terminal; run monitord in a terminal, or set `enabled: false` on \(sink) (use `monitord top --url` to watch a daemon from elsewhere)"
        case .unknownSource(_, let source, let known):
            "source: no source named \"\(source)\" (sources: \(known.joined(separator: ", ")))"
        case .topNeedsTerminal:
            "monitord top: stdout is not a terminal; use --once for a plain-text snapshot"
        case .dumbTerminal:
            "monitord top: this terminal (TERM=dumb) cannot draw a full-screen view; use --once for a plain-text snapshot"
        }
    }
}
