import MonitorKitCore

/// Alerts firing and pending, most severe first, coloured by severity.
struct AlertsSection: BodySection {
    let state: DashboardState
    let width: Int
    let now: Double

    var demand: LayoutPlan.Demand {
        LayoutPlan.Demand(minimum: 2, preferred: 1 + max(1, state.alerts.count))
    }

    func lines(height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        let firing = state.alerts.filter(\.isFiring).count
        let pending = state.alerts.count - firing
        var out = [Rule.line(width: width, [
            ("Alerts", .title),
            ("\(firing) firing", firing > 0 ? .color(.red, bold: true) : .label),
            ("\(pending) pending", pending > 0 ? .color(.yellow, bold: true) : .label),
        ])]
        if state.alerts.isEmpty {
            var b = LineBuilder(width: width)
            b.text("  ✓ No alerts firing or pending", .color(.green))
            out.append(b.build())
            return fit(out, height: height, width: width)
        }
        let room = height - 1
        let overflow = state.alerts.count > room
        let shown = overflow ? max(0, room - 1) : state.alerts.count
        let nameWidth = min(24, state.alerts.map { DisplayWidth.of($0.alertname) }.max() ?? 0)
        for alert in state.alerts.prefix(shown) { out.append(row(alert, nameWidth: nameWidth)) }
        if overflow, room > 0 {
            var b = LineBuilder(width: width)
            b.text("  … \(state.alerts.count - shown) more", .label)
            out.append(b.build())
        }
        return fit(out, height: height, width: width)
    }

    static func severityColor(_ alert: AlertNotice) -> TerminalColor {
        switch alert.severityRank {
        case 0: .red
        case 1: .yellow
        case 2: .cyan
        default: .white
        }
    }

    /// `<source>.<field>` → the newest value of that field of that source.
    func currentValue(of metric: String) -> Double? {
        guard let dot = metric.firstIndex(of: ".") else { return nil }
        let source = String(metric[..<dot]), field = String(metric[metric.index(after: dot)...])
        return state.latest[source]?.fields[field]?.doubleValue
    }

    /// `● FIRING  critical  CacheTooLarge  cache.cache_size_mb 512.30 (threshold 500)  for 3m 10s  summary`
    func row(_ alert: AlertNotice, nameWidth: Int) -> ScreenLine {
        let color = Self.severityColor(alert)
        var b = LineBuilder(width: width)
        b.text(alert.isFiring ? "  ● FIRING " : "  ○ PENDING", alert.isFiring ? .color(color, bold: true) : .color(color))
        b.space()
        b.text(alert.severity, .color(color, bold: alert.isFiring), limit: 9)
        b.pad(to: 24)
        b.text(alert.alertname, .bold, limit: nameWidth)
        b.pad(to: 24 + nameWidth + 2)
        var condition = alert.metric
        // The metric's value now, when the view has it, says more than the value at the transition.
        if let now = currentValue(of: alert.metric) {
            condition += " now " + Format.value(.double(now))
        } else if let value = alert.value {
            condition += " " + Format.value(.double(value))
        }
        if let threshold = alert.threshold { condition += " (threshold \(Format.value(.double(threshold))))" }
        b.text(condition, .plain, limit: b.remaining)
        if let since = alert.firedAt ?? alert.activeAt {
            b.text("  for \(Format.duration(now - since))", .label)
        }
        if !alert.summary.isEmpty, b.remaining > 8 {
            b.text("  " + alert.summary, .dim, limit: b.remaining)
        }
        return b.build()
    }
}
