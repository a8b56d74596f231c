/// Ordered, named values: the payload of an ``Event``.
///
/// Order is kept because it is the order of every JSON rendering (API, log, SSE). Lookups are
/// linear, which is the fastest choice for the few dozen fields an event carries.
/// The field value type, named apart so `Fields`' dictionary-literal `Value` does not shadow it.
public typealias FieldValue = Value

public struct Fields: Sendable, Hashable {
    public private(set) var entries: [(name: String, value: FieldValue)]

    public init() { entries = [] }

    public init(_ entries: [(String, FieldValue)]) {
        self.entries = entries.map { entry -> (name: String, value: FieldValue) in (name: entry.0, value: entry.1) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var names: [String] { entries.map(\.name) }

    /// The value of a field; setting an existing name replaces it in place, a new one is appended,
    /// `nil` removes it.
    public subscript(name: String) -> FieldValue? {
        get {
            for entry in entries where entry.name == name { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((name: name, value: newValue))
            }
        }
    }

    /// Appends without checking for an existing name (the caller knows names are unique).
    public mutating func append(_ name: String, _ value: FieldValue) {
        entries.append((name: name, value: value))
    }

    /// A copy keeping only the named fields, in this value's order.
    public func filter(names: Set<String>) -> Fields {
        var out = Fields()
        out.entries = entries.filter { names.contains($0.name) }
        return out
    }

    public static func == (lhs: Fields, rhs: Fields) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (l, r) in zip(lhs.entries, rhs.entries) where l.name != r.name || l.value != r.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
    }
}

extension Fields: Sequence {
    public typealias Element = (name: String, value: FieldValue)

    public func makeIterator() -> IndexingIterator<[Element]> {
        entries.makeIterator()
    }
}

extension Fields: ExpressibleByDictionaryLiteral {
    public typealias Key = String
    public typealias Value = FieldValue

    public init(dictionaryLiteral elements: (String, FieldValue)...) {
        self.init()
        for (name, value) in elements { append(name, value) }
    }
}

extension Fields: Codable {
    private struct FieldName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        // JSON objects arrive unordered through Codable; callers that need the wire order use
        // `JSONFieldValueParser` instead.
        let container = try decoder.container(keyedBy: FieldName.self)
        self.init()
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            append(key.stringValue, try container.decode(FieldValue.self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldName.self)
        for entry in entries {
            try container.encode(entry.value, forKey: FieldName(stringValue: entry.name))
        }
    }
}
