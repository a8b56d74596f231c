/// How the dashboard and the terminal view show a field.
public struct MetricDisplay: Sendable, Equatable {
    /// The card or series title (`Hit rate`).
    public var title: String
    public var format: MetricFormat
    /// The field's place among the headline cards (1 first), or `nil` when it is a secondary
    /// card that a view shows after the headline ones when there is room.
    public var card: Int?
    /// A line under the card: text with `{field}` placeholders, each written in that field's own
    /// format (`{hits} hits`). A placeholder whose field the sample lacks leaves the line out.
    public var detail: String?
    /// The chart the field is drawn on, with the fields that share its group.
    public var chart: MetricChart?
    /// How good a value is, for the colour of its card; `nil` when any value is as good as another.
    public var bands: MetricBands?

    /// A display hint; see the properties for each argument.
    public init(
        _ title: String, _ format: MetricFormat, card: Int? = nil, detail: String? = nil, chart: MetricChart? = nil,
        bands: MetricBands? = nil
    ) {
        self.title = title
        self.format = format
        self.card = card
        self.detail = detail
        self.chart = chart
        self.bands = bands
    }
}

/// How a value is written.
public enum MetricFormat: String, Sendable, CaseIterable {
    /// A whole number with digit grouping (`12,345`).
    case count
    /// A size in bytes, in the largest unit that keeps a digit before the point (`1.5 MiB`).
    case bytes
    /// A fraction 0..1 as a percentage (`66.7%`).
    case percent
    /// A span in seconds, in the units that read best (`3h 5m`).
    case duration
    /// A point in time in Unix seconds.
    case time
    /// A number as it is.
    case number
    /// Text as it is.
    case text
}

/// A chart that several fields share: fields with the same `group` are drawn as series of one chart.
public struct MetricChart: Sendable, Equatable {
    /// Which chart (`items`).
    public var group: String
    /// The chart's title (`Items over time`); the first field of the group gives it.
    public var title: String
    /// This field's series label in the chart's legend (`Memory`).
    public var series: String

    /// A series of chart `group`.
    public init(group: String, title: String, series: String) {
        self.group = group
        self.title = title
        self.series = series
    }
}

/// Grades of a value for the colour (and name) a view gives it: at or beyond `good` it is good,
/// at or beyond `fair` fair, else poor; "beyond" is above when higher is better, else below.
public struct MetricBands: Sendable, Equatable {
    public var good: Double
    public var fair: Double
    public var higherIsBetter: Bool
    /// Names of the three grades, best first (`Excellent`, `Good`, `Low`).
    public var names: [String]
    /// A field that must be above zero for the value to be graded at all (a hit rate with no
    /// requests is no grade, not a poor one).
    public var basis: String?

    /// Grades with thresholds `good` and `fair`.
    public init(good: Double, fair: Double, higherIsBetter: Bool = true, names: [String] = ["Good", "Fair", "Poor"], basis: String? = nil) {
        self.good = good
        self.fair = fair
        self.higherIsBetter = higherIsBetter
        self.names = names
        self.basis = basis
    }

    /// Any value above zero is poor (damaged files, failed writes).
    public static let zeroIsGood = MetricBands(good: 0, fair: 0, higherIsBetter: false, names: ["None", "None", "Some"])

    /// The grade of `value`: 0 good, 1 fair, 2 poor.
    public func grade(_ value: Double) -> Int {
        if higherIsBetter {
            return value >= good ? 0 : value >= fair ? 1 : 2
        }
        return value <= good ? 0 : value <= fair ? 1 : 2
    }
}
