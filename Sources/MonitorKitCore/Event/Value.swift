/// A typed field value carried by an ``Event``.
///
/// Values map one to one onto JSON: `int` and `double` stay distinct so that counts are
/// written as JSON integers and rates as JSON numbers with a fraction.
public enum Value: Sendable, Hashable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case null
    case list([Value])
    case object(Fields)
}

extension Value {
    /// The value as a `Double` when it is numeric (`int` or `double`), else `nil`.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The value as an `Int` when it is an `int`, or a `double` with no fraction.
    public var intValue: Int? {
        switch self {
        case .int(let i): i
        case .double(let d): d.rounded() == d && abs(d) < 9.0e18 ? Int(d) : nil
        default: nil
        }
    }

    /// The value as a `String` when it is a `string`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as a `Bool` when it is a `bool`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The nested fields when the value is an `object`.
    public var objectValue: Fields? {
        if case .object(let f) = self { return f }
        return nil
    }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
    /// An `.int` from an integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A `.double` from a float literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A `.string` from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A `.bool` from `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `.null` from `nil`.
    public init(nilLiteral: ()) { self = .null }
    /// A `.list` from an array literal.
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
}
