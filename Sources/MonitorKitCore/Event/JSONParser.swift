/// Parses JSON text into a ``Value``, keeping object keys in the order they appear.
///
/// Used where order matters to the reader: the terminal view of a remote monitord, and tests that
/// check field order on the wire.
public struct JSONParser {
    /// Text that is not valid JSON, or nests too deep.
    public struct Error: Swift.Error, CustomStringConvertible {
        /// The byte offset where parsing stopped.
        public var offset: Int
        /// What was expected there.
        public var message: String
        /// `invalid JSON at byte N: …`.
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Deeper documents are refused: each level is a frame of recursion.
    static let maxDepth = 128

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The value `text` holds; object keys keep their order.
    public static func parse(_ text: String) throws(Error) -> Value {
        try parse(Array(text.utf8))
    }

    /// The value the UTF-8 `bytes` hold; object keys keep their order.
    public static func parse(_ bytes: [UInt8]) throws(Error) -> Value {
        var parser = JSONParser(bytes)
        parser.skipSpace()
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("trailing characters") }
        return value
    }

    private func error(_ message: String) -> Error { Error(offset: index, message: message) }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ literal: String, _ value: Value) throws(Error) -> Value {
        let utf8 = Array(literal.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw error("expected \(literal)")
        }
        index += utf8.count
        return value
    }

    private mutating func parseValue(depth: Int) throws(Error) -> Value {
        // The API's documents nest a few levels; a bound keeps hostile input from exhausting the stack.
        guard depth < Self.maxDepth else { throw error("nesting too deep") }
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var fields = Fields()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try parseString()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                skipSpace()
                fields.append(key, try parseValue(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var list: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(list) }
            while true {
                skipSpace()
                list.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .list(list) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try parseNumber()
        }
    }

    /// RFC 8259's grammar exactly: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. A whole
    /// number that fits `Int` is an int; anything else must be a finite double.
    private mutating func parseNumber() throws(Error) -> Value {
        let start = index
        var isFloat = false
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if peek(UInt8(ascii: ".")) {
            isFloat = true
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: a digit must follow '.'") }
            skipDigits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            isFloat = true
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: a digit must follow the exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else {
            index = start
            throw error("number out of range: \(text.prefix(40))")
        }
        return .double(d)
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    /// Four hex digits; `UInt32(_:radix:)` alone would also take a sign (`\u+123`).
    private mutating func parseHex4() throws(Error) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape: four hex digits expected") }
        var code: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: four hex digits expected")
            }
            code = code << 4 | UInt32(digit)
        }
        index += 4
        return code
    }

    /// A `\uXXXX` escape (the `\u` already read): a scalar, or a high surrogate with the low one
    /// that must follow it. An unpaired surrogate is no Unicode scalar, so it is an error.
    private mutating func parseUnicodeEscape() throws(Error) -> Unicode.Scalar {
        let code = try parseHex4()
        if (0xDC00..<0xE000).contains(code) { throw error("unpaired low surrogate \\u\(hex(code))") }
        guard (0xD800..<0xDC00).contains(code) else {
            // Every other value below 0x10000 outside the surrogates is a scalar.
            guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
            return scalar
        }
        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
            throw error("high surrogate \\u\(hex(code)) is not followed by a low surrogate")
        }
        index += 2
        let low = try parseHex4()
        guard (0xDC00..<0xE000).contains(low) else {
            throw error("high surrogate \\u\(hex(code)) is followed by \\u\(hex(low)), not a low surrogate")
        }
        guard let scalar = Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)) else {
            throw error("invalid surrogate pair")
        }
        return scalar
    }

    private func hex(_ code: UInt32) -> String {
        let digits = String(code, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private mutating func parseString() throws(Error) -> String {
        index += 1  // opening quote
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw error("unexpected end") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                default: throw error("invalid escape \\\(Character(Unicode.Scalar(escape)))")
                }
            default:
                out.append(b)
            }
        }
        throw error("unterminated string")
    }
}
