/// A `summary` or `description` with placeholders, parsed once when the config loads:
/// `{{ value }}`, `{{ threshold }}`, `{{ metric }}`, `{{ labels.NAME }}`, and for numbers the
/// filter `| percent` (`{{ value | percent }}` renders 0.653 as `65.3%`).
struct AlertTemplate: Sendable, Equatable {
    enum Number: Sendable, Equatable { case value, threshold }
    enum Format: Sendable, Equatable { case plain, percent }

    enum Piece: Sendable, Equatable {
        case text(String)
        case number(Number, Format)
        case metric
        case label(String)
    }

    /// Why a template does not parse; the message says how to write it.
    struct ParseError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    let source: String
    let pieces: [Piece]

    init(_ text: String) throws(ParseError) {
        source = text
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw ParseError(description: "\"{{\" is not closed by \"}}\" in \"\(text)\"")
            }
            pieces.append(try Self.placeholder(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    /// The label names the template refers to, so a rule can check they exist.
    var labelNames: [String] {
        pieces.compactMap { if case .label(let name) = $0 { name } else { nil } }
    }

    func render(value: Double, threshold: Double, metric: String, labels: [(name: String, value: String)]) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .number(.value, let format): out += Self.format(value, format)
            case .number(.threshold, let format): out += Self.format(threshold, format)
            case .metric: out += metric
            case .label(let name): out += labels.first { $0.name == name }?.value ?? ""
            }
        }
        return out
    }

    private static func placeholder(_ body: Substring) throws(ParseError) -> Piece {
        let parts = body.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        let name = parts[0]
        var format = Format.plain
        if parts.count == 2 {
            guard parts[1] == "percent" else {
                throw ParseError(description: "unknown filter \"\(parts[1])\" in \"{{\(body)}}\" (the only filter is percent)")
            }
            format = .percent
        } else if parts.count > 2 {
            throw ParseError(description: "one filter at most in \"{{\(body)}}\"")
        }
        switch name {
        case "value": return .number(.value, format)
        case "threshold": return .number(.threshold, format)
        case "metric" where format == .plain: return .metric
        default:
            if name.hasPrefix("labels."), name.count > 7, format == .plain {
                return .label(String(name.dropFirst(7)))
            }
            if format == .percent {
                throw ParseError(description: "percent applies to value or threshold, not to \"\(name)\"")
            }
            throw ParseError(description: "unknown placeholder \"{{\(body)}}\" (use value, threshold, metric or labels.NAME)")
        }
    }

    /// At most four decimals, no trailing zeros: 0.653 → `0.653`, 512.0 → `512`.
    static func format(_ number: Double, _ format: Format) -> String {
        switch format {
        case .plain: return trimmed((number * 10_000).rounded() / 10_000)
        case .percent: return trimmed((number * 1000).rounded() / 10) + "%"
        }
    }

    private static func trimmed(_ number: Double) -> String {
        guard number.isFinite else { return String(number) }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
