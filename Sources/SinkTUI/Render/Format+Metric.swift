import MonitorKitCore

extension Format {
    /// A size in bytes as the view writes sizes: mebibytes with two decimals (`12.50 MB`).
    static func bytes(_ value: Double) -> String {
        megabytes(value / 1_048_576)
    }

    /// A field's value written as its descriptor says: the number in the field's units times its
    /// scale, in the display format (`0.902` → `90.2%`, `134` minutes → `2h 14m`).
    static func metric(_ value: Value, _ descriptor: MetricDescriptor) -> String {
        guard let number = value.doubleValue, number.isFinite else { return Format.value(value) }
        let base = number * descriptor.scale
        switch descriptor.display?.format ?? .number {
        case .count: return base.magnitude < 9e18 ? integer(Int(base.rounded())) : Format.value(.double(base))
        case .bytes: return bytes(base)
        case .percent: return percent(base)
        case .duration: return duration(base)
        case .time: return clock(base)
        case .number: return descriptor.scale == 1 ? Format.value(value) : Format.value(.double(base))
        case .text: return Format.value(value)
        }
    }
}
