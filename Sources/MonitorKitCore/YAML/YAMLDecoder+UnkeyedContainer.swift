/// A list read element by element; paths name elements as `[i]`.
struct YAMLUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: YAMLNodeDecoder
    private let elements: [YAMLNode]
    private(set) var currentIndex = 0

    init(decoder: YAMLNodeDecoder, elements: [YAMLNode]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> YAMLNodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(
                codingPath: codingPath + [IndexKey(currentIndex)],
                debugDescription: "expected another list element, found the end of the list"))
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().scalars.bool() }
    mutating func decode(_ type: String.Type) throws -> String { try next().scalars.string() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().scalars.floatingPoint(Double.self) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().scalars.floatingPoint(Float.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().scalars.integer(Int.self) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().scalars.integer(Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().scalars.integer(Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().scalars.integer(Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().scalars.integer(Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().scalars.integer(UInt.self) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().scalars.integer(UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().scalars.integer(UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().scalars.integer(UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().scalars.integer(UInt64.self) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next().unbox(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try next()
    }
}
