import MonitorKitCore

/// Sparklines over the selected source's history: the headline fields its source charts, the
/// fields of one chart on one shared scale; for a source that charts none, its first numeric fields.
struct TrendsSection: BodySection {
    struct Series {
        var label: String
        var values: [Double]
        /// Top of the scale; series compared with each other share it.
        var maximum: Double?
        var format: (Double) -> String
        var color: TerminalColor
    }

    /// The label column grows to fit the longest label, within these bounds.
    static let labelWidths = 14...20
    static let valueWidth = 12
    /// Rows a chart may grow to on a tall terminal.
    static let maximumChartRows = 4

    let state: DashboardState
    let width: Int
    let now: Double

    var samples: [Sample] { state.selectedID.flatMap { state.history[$0] } ?? [] }
    var labelWidth: Int {
        let longest = seriesLabels.map { DisplayWidth.of($0) + 1 }.max() ?? Self.labelWidths.lowerBound
        return min(Self.labelWidths.upperBound, max(Self.labelWidths.lowerBound, longest))
    }

    var chartWidth: Int { max(0, width - 1 - labelWidth - Self.valueWidth - 1) }

    /// The headline fields the source charts, chart by chart in card order; the fields of one
    /// chart stay together and share a scale.
    var charted: [MetricDescriptor] {
        let metrics = state.selectedSource?.metrics ?? []
        let headline = metrics.filter { $0.display?.card != nil && $0.display?.chart != nil }
        var groups: [(group: String, first: Int, fields: [MetricDescriptor])] = []
        for descriptor in headline {
            guard let display = descriptor.display, let card = display.card, let chart = display.chart else { continue }
            if let index = groups.firstIndex(where: { $0.group == chart.group }) {
                groups[index].fields.append(descriptor)
                groups[index].first = min(groups[index].first, card)
            } else {
                groups.append((chart.group, card, [descriptor]))
            }
        }
        return groups.sorted { $0.first < $1.first }.flatMap { group in
            group.fields.sorted { ($0.display?.card ?? 0) < ($1.display?.card ?? 0) }
        }
    }

    /// The labels alone, without building the series (the column width depends on them).
    var seriesLabels: [String] {
        guard let last = samples.last else { return [] }
        let charted = self.charted.filter { last.fields[$0.name] != nil }
        if !charted.isEmpty { return charted.compactMap { $0.display?.title } }
        return last.fields.filter { $0.value.doubleValue != nil }.prefix(4).map { CardsSection.label($0.name) }
    }

    static let colors: [TerminalColor] = [.cyan, .blue, .green, .magenta, .yellow]

    var series: [Series] {
        let samples = Array(self.samples.suffix(max(1, chartWidth)))
        guard let last = samples.last else { return [] }
        func values(_ name: String, scale: Double = 1) -> [Double] { samples.map { ($0.fields[name]?.doubleValue ?? .nan) * scale } }
        let charted = self.charted.filter { last.fields[$0.name] != nil }
        if !charted.isEmpty {
            let all = charted.map { values($0.name, scale: $0.scale) }
            return charted.enumerated().map { index, descriptor in
                let group = descriptor.display?.chart?.group
                let top: Double?
                if descriptor.display?.format == .percent {
                    top = 1
                } else {
                    let shared = charted.indices.filter { charted[$0].display?.chart?.group == group }
                    top = shared.count > 1 ? shared.flatMap { all[$0] }.filter(\.isFinite).max() ?? 0 : nil
                }
                return Series(
                    label: descriptor.display?.title ?? descriptor.name, values: all[index], maximum: top,
                    format: { Format.metric(.double($0 / descriptor.scale), descriptor) }, color: Self.colors[index % Self.colors.count])
            }
        }
        let numeric = last.fields.filter { $0.value.doubleValue != nil }.prefix(4)
        return numeric.enumerated().map { index, entry in
            Series(label: CardsSection.label(entry.name), values: values(entry.name), maximum: nil,
                   format: { Format.value(.double($0)) }, color: Self.colors[index % Self.colors.count])
        }
    }

    var demand: LayoutPlan.Demand {
        let count = series.count
        guard count > 0 else { return LayoutPlan.Demand(minimum: 2, preferred: 2) }
        return LayoutPlan.Demand(minimum: 2, preferred: 1 + count, maximum: 1 + count * Self.maximumChartRows)
    }

    /// Rows per chart for `height` rows: equal for every chart, so memory and disk stay comparable.
    func rowsPerChart(_ height: Int, count: Int) -> Int {
        max(1, min(Self.maximumChartRows, (height - 1) / max(1, count)))
    }

    func fittedHeight(_ allotted: Int) -> Int {
        let count = series.count
        guard count > 0, allotted > 1 + count else { return allotted }
        return 1 + count * rowsPerChart(allotted, count: count)
    }

    func lines(height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        let all = series
        let shown = Array(samples.suffix(max(1, chartWidth)))
        var titleParts: [(String, TextStyle)] = [("Trends", .title)]
        if let first = shown.first, let last = shown.last, shown.count > 1 {
            titleParts.append(("last \(Format.duration(last.time - first.time)), \(shown.count) samples", .label))
        }
        var out = [Rule.line(width: width, titleParts)]
        guard !all.isEmpty else {
            var b = LineBuilder(width: width)
            b.text("  No history yet.", .dim)
            out.append(b.build())
            return fit(out, height: height, width: width)
        }
        let rowsForCharts = height - 1
        let count = min(all.count, rowsForCharts)
        let rowsEach = rowsPerChart(height, count: count)
        for series in all.prefix(count) {
            out.append(contentsOf: chart(series, rows: rowsEach))
        }
        return fit(out, height: height, width: width)
    }

    /// The label and newest value on the first row; the maximum and minimum on the next ones.
    func chart(_ series: Series, rows: Int) -> [ScreenLine] {
        let rendered = Sparkline.render(series.values, width: chartWidth, height: rows, maximum: series.maximum)
        let finite = series.values.filter(\.isFinite)
        let notes: [(String, TextStyle)] = [
            (finite.last.map(series.format) ?? "—", .bold),
            (finite.max().map { "max " + series.format($0) } ?? "", .label),
            (finite.min().map { "min " + series.format($0) } ?? "", .label),
        ]
        return rendered.enumerated().map { row, text in
            var b = LineBuilder(width: width)
            b.space()
            if row == 0 { b.text(series.label, .label, limit: labelWidth - 1) }
            b.pad(to: 1 + labelWidth)
            b.text(text, .color(series.color))
            if row < notes.count { b.text(notes[row].0, notes[row].1, rightAlignedIn: Self.valueWidth) }
            return b.build()
        }
    }
}
