/// A mapping read by key; records every key asked about, for the unknown-key check.
struct YAMLKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: YAMLNodeDecoder
    private let entries: [YAMLNode.Entry]
    private let values: [String: YAMLNode]
    private let id: String

    init(decoder: YAMLNodeDecoder, entries: [YAMLNode.Entry]) {
        self.decoder = decoder
        self.entries = entries
        // Keys are unique (the parser rejects duplicates), so the first value is the only one.
        self.values = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        self.id = YAMLDecodingState.id(decoder.codingPath)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.state.enumerated(at: id)
        return entries.compactMap { Key(stringValue: $0.key) }
    }

    func contains(_ key: Key) -> Bool {
        decoder.state.asked(key.stringValue, at: id)
        return values[key.stringValue] != nil
    }

    private func child(_ key: Key) throws -> YAMLNodeDecoder {
        decoder.state.asked(key.stringValue, at: id)
        guard let node = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(
                codingPath: codingPath, debugDescription: "missing required field \"\(key.stringValue)\""))
        }
        return decoder.child(node, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try child(key).node.isNull
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).scalars.bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).scalars.string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).scalars.floatingPoint(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).scalars.floatingPoint(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).scalars.integer(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).scalars.integer(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).scalars.integer(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).scalars.integer(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).scalars.integer(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).scalars.integer(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).scalars.integer(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).scalars.integer(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).scalars.integer(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).scalars.integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(key).unbox(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        try superDecoder(named: NameKey("super"))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try superDecoder(named: key)
    }

    /// A missing key gives a decoder over nothing, as Foundation's decoders do.
    private func superDecoder(named key: any CodingKey) throws -> any Decoder {
        decoder.state.asked(key.stringValue, at: id)
        let node = values[key.stringValue] ?? YAMLNode(.scalar(YAMLNode.Scalar("")), mark: decoder.node.mark)
        return decoder.child(node, key: key)
    }
}
