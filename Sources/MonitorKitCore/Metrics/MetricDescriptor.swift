/// What one field of a source's samples is, declared once by the source so that every sink can
/// render it without knowing the source: `/metrics` families, dashboard and terminal cards and
/// charts, and the checks `validate` makes on alert rules.
public struct MetricDescriptor: Sendable, Equatable {
    /// The field's name in the sample (`hit_rate`); a metric is addressed as `<source>.<name>`.
    public var name: String
    public var kind: MetricKind
    public var unit: MetricUnit
    /// How many base units one of the field's units is: 1 for a field already in base units,
    /// 1,048,576 for a size in MiB, 60 for a duration in minutes.
    public var scale: Double
    /// What the field measures, in a sentence.
    public var help: String
    /// The Prometheus series the field feeds, or `nil` when `/metrics` leaves it out.
    public var export: MetricExport?
    /// How views show it, or `nil` when they do not (identities, timestamps, never-reset twins).
    public var display: MetricDisplay?

    /// A field of `kind` in `unit`; see the properties for each argument.
    public init(
        _ name: String, _ kind: MetricKind, _ unit: MetricUnit, scale: Double = 1, help: String,
        export: MetricExport? = nil, display: MetricDisplay? = nil
    ) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.scale = scale
        self.help = help
        self.export = export
        self.display = display
    }
}

/// How a field's value behaves over time.
public enum MetricKind: String, Sendable, CaseIterable {
    /// A count that only grows, until the source restarts or its figures are reset.
    case counter
    /// A level that goes up and down (items held, bytes used, a ratio).
    case gauge
    /// Configuration or identity (a limit, a directory, a start time): not a measurement.
    case info
}

/// The base unit of a field: what a value of 1 means once multiplied by the field's scale.
public enum MetricUnit: String, Sendable, CaseIterable {
    case bytes, seconds, ratio, items
    /// Text, or a number with no unit.
    case none

    /// The suffix Prometheus practice gives a family in this unit (`_bytes`), or `nil`.
    public var prometheusSuffix: String? {
        switch self {
        case .bytes, .seconds, .ratio: rawValue
        case .items, .none: nil
        }
    }
}

/// The Prometheus series a field feeds. Several fields may feed one family, each with its own
/// label values (the cache's `memory_hits`, `disk_hits` and `misses` are
/// `monitord_cache_lookups_total` by `tier` and `result`).
public struct MetricExport: Sendable, Equatable {
    /// The family's name without the `monitord_` prefix and the unit and `_total` suffixes,
    /// which follow from the descriptor's unit and kind (`cache_lookups`).
    public var family: String
    /// The family's HELP text; every field of one family gives the same.
    public var help: String
    /// This field's place in the family, besides the `source` label every series has.
    public var labels: [MetricLabel]
    /// The field read for the series when it is not the descriptor's own: the never-reset twin
    /// of a count that a stats reset zeroes, so the exported counter stays monotonic.
    public var reading: String?

    /// A series of `family`; see the properties for each argument.
    public init(family: String, help: String, labels: [MetricLabel] = [], reading: String? = nil) {
        self.family = family
        self.help = help
        self.labels = labels
        self.reading = reading
    }
}

/// One label of a series: a dimension of a family and this field's value on it (`tier="memory"`).
public struct MetricLabel: Sendable, Equatable {
    public var name: String
    public var value: String

    /// `name="value"`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension MetricDescriptor {
    /// The suffix Prometheus practice gives the field's family: the unit, then `total` on a
    /// counter (`bytes`, `seconds_total`, `total`), empty for a unitless gauge.
    public var prometheusSuffix: String {
        [unit.prometheusSuffix, kind == .counter ? "total" : nil].compactMap { $0 }.joined(separator: "_")
    }

    /// The series name in `/metrics` (`monitord_cache_lookups_total`), or `nil` when the field
    /// is not exported.
    public var prometheusName: String? {
        guard let export else { return nil }
        let suffix = prometheusSuffix
        return "monitord_" + export.family + (suffix.isEmpty ? "" : "_" + suffix)
    }
}
