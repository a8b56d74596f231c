/// Descriptors as JSON values, for `/api/sources` and for the viewers that read it (the
/// dashboard, `monitord top` against a remote daemon). Keys are the property names in snake
/// case; a key whose value is the default is left out.
extension MetricDescriptor {
    /// This descriptor as a JSON object.
    public var value: Value {
        var f = Fields()
        f.append("name", .string(name))
        f.append("kind", .string(kind.rawValue))
        f.append("unit", .string(unit.rawValue))
        if scale != 1 { f.append("scale", .double(scale)) }
        f.append("help", .string(help))
        if let export {
            var e = Fields()
            e.append("family", .string(export.family))
            e.append("help", .string(export.help))
            if !export.labels.isEmpty {
                var labels = Fields()
                for label in export.labels { labels.append(label.name, .string(label.value)) }
                e.append("labels", .object(labels))
            }
            if let reading = export.reading { e.append("reading", .string(reading)) }
            f.append("export", .object(e))
        }
        if let display { f.append("display", display.value) }
        return .object(f)
    }

    /// The descriptor a JSON object written by ``value`` describes, or `nil` when it is not one
    /// (a newer daemon's kind or unit this viewer does not know reads as `info` / `none`).
    public init?(value: Value) {
        guard let f = value.objectValue, let name = f["name"]?.stringValue else { return nil }
        let kind = f["kind"]?.stringValue.flatMap(MetricKind.init(rawValue:)) ?? .info
        let unit = f["unit"]?.stringValue.flatMap(MetricUnit.init(rawValue:)) ?? .none
        var export: MetricExport?
        if let e = f["export"]?.objectValue, let family = e["family"]?.stringValue {
            let labels = (e["labels"]?.objectValue ?? Fields()).compactMap { entry in
                entry.value.stringValue.map { MetricLabel(entry.name, $0) }
            }
            export = MetricExport(family: family, help: e["help"]?.stringValue ?? "", labels: labels, reading: e["reading"]?.stringValue)
        }
        self.init(
            name, kind, unit, scale: f["scale"]?.doubleValue ?? 1, help: f["help"]?.stringValue ?? "", export: export,
            display: f["display"].flatMap(MetricDisplay.init(value:)))
    }
}

extension MetricDisplay {
    /// This display hint as a JSON object.
    public var value: Value {
        var f = Fields()
        f.append("title", .string(title))
        f.append("format", .string(format.rawValue))
        if let card { f.append("card", .int(card)) }
        if let detail { f.append("detail", .string(detail)) }
        if let chart {
            f.append("chart", .object(["group": .string(chart.group), "title": .string(chart.title), "series": .string(chart.series)]))
        }
        if let bands {
            var b = Fields()
            b.append("good", .double(bands.good))
            b.append("fair", .double(bands.fair))
            b.append("higher_is_better", .bool(bands.higherIsBetter))
            b.append("names", .list(bands.names.map(Value.string)))
            if let basis = bands.basis { b.append("basis", .string(basis)) }
            f.append("bands", .object(b))
        }
        return .object(f)
    }

    /// The display hint a JSON object written by ``value`` describes, or `nil`.
    public init?(value: Value) {
        guard let f = value.objectValue, let title = f["title"]?.stringValue else { return nil }
        var chart: MetricChart?
        if let c = f["chart"]?.objectValue, let group = c["group"]?.stringValue {
            chart = MetricChart(group: group, title: c["title"]?.stringValue ?? "", series: c["series"]?.stringValue ?? title)
        }
        var bands: MetricBands?
        if let b = f["bands"]?.objectValue, let good = b["good"]?.doubleValue, let fair = b["fair"]?.doubleValue {
            let names = b["names"].flatMap { value -> [String]? in
                guard case .list(let items) = value else { return nil }
                return items.compactMap(\.stringValue)
            }
            bands = MetricBands(
                good: good, fair: fair, higherIsBetter: b["higher_is_better"]?.boolValue ?? true,
                names: names?.count == 3 ? names! : ["Good", "Fair", "Poor"], basis: b["basis"]?.stringValue)
        }
        self.init(
            title, f["format"]?.stringValue.flatMap(MetricFormat.init(rawValue:)) ?? .number, card: f["card"]?.intValue,
            detail: f["detail"]?.stringValue, chart: chart, bands: bands)
    }
}
