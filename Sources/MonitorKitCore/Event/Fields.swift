/// The field value type, named apart so `Fields`' dictionary-literal `Value` does not shadow it.
public typealias FieldValue = Value

/// Ordered, named values: the payload of an ``Event``.
///
/// Order is kept because it is the order of every JSON rendering (API, log, SSE). Lookups are
/// linear, which is the fastest choice for the few dozen fields an event carries.
public struct Fields: Sendable, Hashable {
    /// The fields, in order.
    public private(set) var entries: [(name: String, value: FieldValue)]

    /// No fields.
    public init() { entries = [] }

    /// The fields `entries`, in the order given.
    public init(_ entries: [(String, FieldValue)]) {
        self.entries = entries.map { entry -> (name: String, value: FieldValue) in (name: entry.0, value: entry.1) }
    }

    /// How many fields there are.
    public var count: Int { entries.count }
    /// Whether there are none.
    public var isEmpty: Bool { entries.isEmpty }
    /// The names, in order.
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

    /// The same names with the same values in the same order.
    public static func == (lhs: Fields, rhs: Fields) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (l, r) in zip(lhs.entries, rhs.entries) where l.name != r.name || l.value != r.value {
            return false
        }
        return true
    }

    /// Hashes names and values in order, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
    }
}

extension Fields: Sequence {
    /// A field: its name and its value.
    public typealias Element = (name: String, value: FieldValue)

    /// The fields in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        entries.makeIterator()
    }
}

extension Fields: ExpressibleByDictionaryLiteral {
    /// Field names.
    public typealias Key = String
    /// Field values.
    public typealias Value = FieldValue

    /// Fields from a literal, in its order.
    public init(dictionaryLiteral elements: (String, FieldValue)...) {
        self.init()
        for (name, value) in elements { append(name, value) }
    }
}
