import MonitorKitCore

/// The colour a field's value gets from the grades its descriptor declares.
enum MetricGrade {
    /// Green for good, yellow for fair, red for poor; gray while the field its grade rests on
    /// (the requests behind a hit rate) is zero; `nil` when the field has no grades.
    static func color(_ descriptor: MetricDescriptor, in fields: Fields) -> TerminalColor? {
        guard let bands = descriptor.display?.bands, let value = fields[descriptor.name]?.doubleValue else { return nil }
        if let basis = bands.basis, (fields[basis]?.doubleValue ?? 0) <= 0 { return .gray }
        switch bands.grade(value) {
        case 0: return .green
        case 1: return .yellow
        default: return .red
        }
    }
}
