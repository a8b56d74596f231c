/// A size in bytes, written in the config as `512KiB`, `100MB` (decimal, 1000²), `2GiB`
/// (binary, 1024³), `1.5GiB`, or a bare number of bytes.
public struct ByteSize: Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    /// The size in bytes, never negative.
    public var bytes: Int64

    /// A size of `bytes` bytes.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses `512KiB`, `100MB`, `2GiB`, `1.5GiB`, `4096` (bytes); nil for anything else.
    public init?(_ text: String) {
        guard case .success(let size) = Self.parse(text) else { return nil }
        self = size
    }

    /// Decodes a bare number of bytes or a size with a unit; a negative or unreadable size is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bytes = try? container.decode(Int64.self) {
            guard bytes >= 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a size cannot be negative, found \(bytes)")
            }
            self.init(bytes: bytes)
            return
        }
        let text = try container.decode(String.self)
        switch Self.parse(text) {
        case .success(let size): self = size
        case .failure(let problem): throw DecodingError.dataCorruptedError(in: container, debugDescription: problem.message)
        }
    }

    /// Smaller sizes first.
    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    /// The largest unit that divides the size exactly: `512KiB`, `100MB`, `1536 bytes`.
    public var description: String {
        guard bytes != 0 else { return "0 bytes" }
        if bytes == 1 { return "1 byte" }
        for (unit, factor) in Self.displayUnits where bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return "\(bytes) bytes"
    }

    private static let displayUnits: [(String, Int64)] = [
        ("TiB", 1 << 40), ("TB", 1_000_000_000_000), ("GiB", 1 << 30), ("GB", 1_000_000_000),
        ("MiB", 1 << 20), ("MB", 1_000_000), ("KiB", 1 << 10), ("KB", 1000),
    ]

    /// Units by lowercased name. Bare `K`/`M`/`G` are refused: people mean 1000 and 1024 by them alike.
    private static let units: [String: Int64] = [
        "": 1, "b": 1, "byte": 1, "bytes": 1,
        "kb": 1000, "mb": 1_000_000, "gb": 1_000_000_000, "tb": 1_000_000_000_000,
        "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
    ]

    struct Problem: Error { var message: String }

    static func parse(_ text: String) -> Result<ByteSize, Problem> {
        let hint = "write a size like 512KiB, 100MB or 2GiB (KB/MB/GB are 1000-based, KiB/MiB/GiB 1024-based) or a number of bytes"
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("-") {
            return .failure(Problem(message: "a size cannot be negative, found \(quoted(text))"))
        }
        let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        let number = trimmed[..<numberEnd]
        let unit = trimmed[numberEnd...].trimmingSpaces.lowercased()
        guard !number.isEmpty, let amount = Double(number), amount.isFinite else {
            return .failure(Problem(message: "expected a size, found \(quoted(text)); \(hint)"))
        }
        guard let factor = units[unit] else {
            return .failure(Problem(message: "unknown size unit \(quoted(String(trimmed[numberEnd...].trimmingSpaces))) in \(quoted(text)); \(hint)"))
        }
        let total = (amount * Double(factor)).rounded()
        guard total < Double(Int64.max) else {
            return .failure(Problem(message: "size \(quoted(text)) is too large"))
        }
        if factor == 1, !number.allSatisfy(\.isNumber) {
            return .failure(Problem(message: "a number of bytes must be whole, found \(quoted(text)); \(hint)"))
        }
        return .success(ByteSize(bytes: Int64(total)))
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (no Foundation needed).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
