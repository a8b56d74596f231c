/// A config value with a documented range: an integer, a duration or a size.
///
/// Every numeric key is decoded through ``Swift/KeyedDecodingContainer/decodeIfPresent(_:forKey:in:)``
/// so a value outside its range is a config error at its line and column (exit 78 from
/// `validate`), never a trap or a hang at start.
public protocol ConfigRangeBound: Decodable, Comparable, Sendable {
    /// The value as a config file writes it: `200`, `5s`, `256MiB`.
    var configText: String { get }
}

extension Int: ConfigRangeBound {
    /// Large integers with thousands separators (`10,000,000`); a port stays `65535`.
    public var configText: String {
        let digits = Array(String(magnitude))
        guard digits.count > 5 else { return String(self) }
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return self < 0 ? "-" + text : text
    }
}

extension Double: ConfigRangeBound {
    /// The number as written.
    public var configText: String { "\(self)" }
}

extension Duration: ConfigRangeBound {
    /// `5s`, `250ms`, `2h30m`.
    public var configText: String { DurationParsing.format(self) }
}

extension ByteSize: ConfigRangeBound {
    /// `512KiB`, `100MB`, `1536 bytes`.
    public var configText: String { description }
}

extension KeyedDecodingContainer {
    /// Decodes `key` if present and checks it lies in `range`; outside it, the error names the
    /// key, the range and the value found, at the value's line and column.
    public func decodeIfPresent<T: ConfigRangeBound>(_ type: T.Type, forKey key: Key, in range: ClosedRange<T>) throws -> T? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return nil }
        guard range.contains(value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\(key.stringValue) must be between \(range.lowerBound.configText) and \(range.upperBound.configText), found \(value.configText)")
        }
        return value
    }
}
