/// Reads one scalar node as a Swift value. Quoted and plain scalars read alike, so
/// `port: "${API_PORT:-8000}"` decodes as an integer.
struct YAMLScalarReader {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let state: YAMLDecodingState

    /// The scalar's text, or a type error naming what was expected.
    private func text(_ expected: String, _ type: Any.Type) throws -> String {
        try state.checkFailed(node)
        guard let scalar = node.scalar, !scalar.isNull else {
            if node.isNull {
                throw DecodingError.valueNotFound(type, .init(
                    codingPath: codingPath, debugDescription: "expected \(expected), found nothing; give it a value or remove the key"))
            }
            throw mismatch(expected, type)
        }
        return scalar.text.trimmingSpaces
    }

    private func mismatch(_ expected: String, _ type: Any.Type, _ detail: String = "") -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(node.summary)\(detail)"))
    }

    func string() throws -> String {
        try state.checkFailed(node)
        guard let scalar = node.scalar, !scalar.isNull else {
            if node.isNull {
                throw DecodingError.valueNotFound(String.self, .init(
                    codingPath: codingPath, debugDescription: "expected a string, found nothing; write \"\" for an empty string"))
            }
            throw mismatch("a string", String.self)
        }
        return scalar.text
    }

    func bool() throws -> Bool {
        switch try text("true or false", Bool.self).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw mismatch("true or false", Bool.self)
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let expected = T.isSigned ? "an integer" : "a whole number of 0 or more"
        var digits = try text(expected, T.self).filter { $0 != "_" }
        if digits.hasPrefix("+") { digits.removeFirst() }
        if let value = T(digits, radix: 10) { return value }
        let negative = digits.hasPrefix("-")
        let body = negative ? digits.dropFirst() : Substring(digits)
        if !negative, body.lowercased().hasPrefix("0x"), let value = T(body.dropFirst(2), radix: 16) {
            return value
        }
        if !body.isEmpty, body.allSatisfy(\.isNumber) {
            throw mismatch(expected, T.self, "; it must be between \(T.min) and \(T.max)")
        }
        throw mismatch(expected, T.self)
    }

    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type) throws -> T {
        let text = try text("a number", T.self).filter { $0 != "_" }
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: break
        }
        guard let value = T(text) else { throw mismatch("a number", T.self) }
        return value
    }

    func duration() throws -> Duration {
        let text = try text("a duration", Duration.self)
        switch DurationParsing.parse(text) {
        case .success(let duration): return duration
        case .failure(let problem):
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: problem.message))
        }
    }
}
