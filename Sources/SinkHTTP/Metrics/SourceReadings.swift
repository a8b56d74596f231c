import MonitorKitCore

/// Maps a source's figures to readings through the fields it declares: each descriptor with an
/// export feeds its family, in base units, labelled with the source id and its own labels.
enum SourceReadings {
    typealias Reading = MetricsExporter.Reading

    static func readings(source: String, metrics: [MetricDescriptor], figures: Fields) -> [Reading] {
        metrics.compactMap { descriptor -> Reading? in
            guard let export = descriptor.export,
                let value = (export.reading.flatMap { figures[$0] } ?? figures[descriptor.name])?.doubleValue
            else { return nil }
            let labels = [("source", source)] + export.labels.map { ($0.name, $0.value) }
            return Reading(
                family: family(of: descriptor, export), labels: labels, value: value * descriptor.scale,
                identity: source + export.labels.map { "|" + $0.value }.joined())
        }
    }

    /// The family a descriptor feeds: `monitord_<family>`, then the unit's suffix, then `_total`
    /// for a counter, as Prometheus practice names them.
    static func family(of descriptor: MetricDescriptor, _ export: MetricExport) -> MetricFamily {
        MetricFamily(
            name: export.family, unit: descriptor.prometheusSuffix, kind: descriptor.kind == .counter ? .counter : .gauge,
            help: export.help)
    }
}
