/// The `Decoder` over one ``YAMLNode``: hands out keyed, unkeyed and single-value containers.
final class YAMLNodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let state: YAMLDecodingState
    let userInfo: [CodingUserInfoKey: Any] = [:]

    init(node: YAMLNode, codingPath: [any CodingKey], state: YAMLDecodingState) {
        self.node = node
        self.codingPath = codingPath
        self.state = state
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try state.checkFailed(node)
        let entries: [YAMLNode.Entry]
        if let mapping = node.entries {
            entries = mapping
        } else if node.isNull {
            // `key:` with nothing under it reads as an empty mapping, so every field takes its default.
            entries = []
        } else {
            throw DecodingError.typeMismatch([String: Any].self, .init(
                codingPath: codingPath, debugDescription: "expected a mapping (key: value lines), found \(node.summary)"))
        }
        state.opened(node, codingPath: codingPath) { Key(stringValue: $0) != nil }
        return KeyedDecodingContainer(YAMLKeyedContainer<Key>(decoder: self, entries: entries))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try state.checkFailed(node)
        if let elements = node.elements {
            return YAMLUnkeyedContainer(decoder: self, elements: elements)
        }
        if node.isNull { return YAMLUnkeyedContainer(decoder: self, elements: []) }
        throw DecodingError.typeMismatch([Any].self, .init(
            codingPath: codingPath, debugDescription: "expected a list, found \(node.summary)"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        YAMLSingleValueContainer(decoder: self)
    }

    func child(_ node: YAMLNode, key: any CodingKey) -> YAMLNodeDecoder {
        YAMLNodeDecoder(node: node, codingPath: codingPath + [key], state: state)
    }

    var scalars: YAMLScalarReader {
        YAMLScalarReader(node: node, codingPath: codingPath, state: state)
    }

    /// Decodes `T` from this decoder's node, reading `Duration` from config text and giving
    /// string enums an error that lists their values.
    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Duration.self, let duration = try scalars.duration() as? T {
            return duration
        }
        do {
            return try T(from: self)
        } catch let error as DecodingError {
            guard let cases = Self.caseNames(of: T.self), let scalar = node.scalar, !scalar.isNull else { throw error }
            let hint = Suggestion.closest(to: scalar.text, in: cases).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "expected one of \(cases.joined(separator: ", ")), found \(node.summary)\(hint)"))
        }
    }

    /// The raw values of a `CaseIterable` enum with `String` raw values, nil for any other type.
    static func caseNames<T>(of type: T.Type) -> [String]? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        return rawValues(of: iterable)
    }

    private static func rawValues<C: CaseIterable>(of type: C.Type) -> [String]? {
        var names: [String] = []
        for value in C.allCases {
            guard let raw = value as? any RawRepresentable, let name = raw.rawValue as? String else { return nil }
            names.append(name)
        }
        return names
    }
}
