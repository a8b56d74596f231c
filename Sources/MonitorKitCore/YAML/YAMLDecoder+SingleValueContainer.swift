/// One node read as a value: a scalar, or (through `decode<T>`) anything `T` can read.
struct YAMLSingleValueContainer: SingleValueDecodingContainer {
    let decoder: YAMLNodeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool { try decoder.scalars.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.scalars.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.scalars.floatingPoint(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.scalars.floatingPoint(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.scalars.integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.scalars.integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.scalars.integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.scalars.integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.scalars.integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.scalars.integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.scalars.integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.scalars.integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.scalars.integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.scalars.integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.unbox(T.self)
    }
}
