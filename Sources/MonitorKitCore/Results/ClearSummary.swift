/// What a source's `clear` action removed, as every sink reads it: counts by where the entries
/// were held (`memory_items`, `disk_items`), and the total the source reports.
public struct ClearSummary: Sendable, Equatable {
    /// Counts by the field name the source gives them, in its order; `total_items` is not one.
    public var removed: [(name: String, count: Int)]
    /// `total_items` as the source reports it (the cache counts a write-through entry once in
    /// each tier), else the sum of ``removed``.
    public var total: Int

    /// A summary of `removed`, totalling them unless the source says otherwise.
    public init(removed: [(name: String, count: Int)], total: Int? = nil) {
        self.removed = removed
        self.total = total ?? removed.reduce(0) { $0 + $1.count }
    }

    /// From a `clear` answer, the API's `cleared_items`, or a `cleared` event: every integer
    /// field is a count; `nil` when there is none.
    public init?(fields: Fields) {
        var removed: [(name: String, count: Int)] = []
        var total: Int?
        for entry in fields {
            guard case .int(let count) = entry.value else { continue }
            if entry.name == "total_items" { total = count } else { removed.append((entry.name, count)) }
        }
        guard !removed.isEmpty || total != nil else { return nil }
        self.init(removed: removed, total: total)
    }

    /// The answer's fields: the counts, then `total_items`.
    public var fields: Fields {
        var fields = Fields()
        for (name, count) in removed { fields.append(name, .int(count)) }
        fields.append("total_items", .int(total))
        return fields
    }

    public static func == (lhs: ClearSummary, rhs: ClearSummary) -> Bool {
        lhs.fields == rhs.fields
    }
}
