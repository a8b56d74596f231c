import MonitorKitCore

/// A metric address, `<source>.<field>`, where the field may reach into objects:
/// `cache.recent_hit_rate`, `internal.subscriptions.log.dropped`.
struct MetricPath: Sendable, Hashable, CustomStringConvertible {
    /// The component id (the part before the first dot).
    let source: String
    /// The field, then nested keys.
    let segments: [String]

    /// `nil` when the text has no `<source>.` prefix or an empty part.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        source = parts[0]
        segments = Array(parts.dropFirst())
    }

    var description: String { ([source] + segments).joined(separator: ".") }

    /// The numeric value at this path in a sample's fields, or `nil` when absent or not a number.
    func value(in fields: Fields) -> Double? {
        // The common case first: one plain field.
        if segments.count == 1 { return fields[segments[0]]?.doubleValue }
        var current = fields
        var index = 0
        while index < segments.count {
            // A key may itself hold dots (a subscription id such as `api.v2`): try the longest
            // run of segments that names a key at this level.
            var matched: (value: Value, next: Int)?
            var end = segments.count
            while end > index {
                let name = end == index + 1 ? segments[index] : segments[index..<end].joined(separator: ".")
                if let value = current[name] {
                    matched = (value, end)
                    break
                }
                end -= 1
            }
            guard let (value, next) = matched else { return nil }
            if next == segments.count { return value.doubleValue }
            guard let object = value.objectValue else { return nil }
            current = object
            index = next
        }
        return nil
    }
}
