import MonitorKitCore

/// The selected source's newest figures as a grid of labelled values.
struct CardsSection: BodySection {
    struct Card: Equatable {
        var label: String
        var value: String
        var style: TextStyle
    }

    static let cardWidth = 26
    /// The cache figures the issue names come first, so they survive the smallest terminal.
    static let requiredCacheCards = 7

    let state: DashboardState
    let width: Int
    let now: Double

    var columns: Int { max(1, min(4, width / Self.cardWidth)) }
    var source: SourceEntry? { state.selectedSource }
    var sample: Sample? { source.flatMap { state.latest[$0.id] } }
    var cards: [Card] { sample.map { Self.cards(for: $0.fields) } ?? [] }

    var demand: LayoutPlan.Demand {
        let cards = self.cards
        guard !cards.isEmpty else { return LayoutPlan.Demand(minimum: 2, preferred: 2) }
        let isCache = Self.isCache(sample?.fields ?? Fields())
        let required = isCache ? min(cards.count, Self.requiredCacheCards) : min(cards.count, columns)
        let minimumRows = (required + columns - 1) / columns
        let allRows = (cards.count + columns - 1) / columns
        // Charts grow before more cards appear: the maximum is the preferred height.
        return LayoutPlan.Demand(minimum: 1 + minimumRows, preferred: 1 + min(allRows, max(minimumRows, 4)))
    }

    func lines(height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        var out = [title()]
        guard let sample else {
            var b = LineBuilder(width: width)
            b.text(source.map { "  Waiting for the first sample of \($0.id)…" } ?? "  No sources yet.", .dim)
            out.append(b.build())
            return fit(out, height: height, width: width)
        }
        let cards = Self.cards(for: sample.fields)
        let columns = self.columns
        let cellWidth = width / columns
        for row in 0..<(height - 1) {
            let slice = cards.dropFirst(row * columns).prefix(columns)
            if slice.isEmpty { break }
            var b = LineBuilder(width: width)
            for (column, card) in slice.enumerated() {
                let start = column * cellWidth
                b.pad(to: start + 1)
                let labelWidth = min(DisplayWidth.of(card.label), max(0, cellWidth - 4 - DisplayWidth.of(card.value)))
                b.text(card.label, .label, limit: labelWidth)
                let valueField = start + cellWidth - 2 - b.column
                if valueField > 0 { b.text(card.value, card.style, rightAlignedIn: valueField) }
            }
            out.append(b.build())
        }
        return fit(out, height: height, width: width)
    }

    func title() -> ScreenLine {
        guard let source else { return Rule.line(width: width, [("Source", .title)]) }
        var parts: [(String, TextStyle)] = [(source.id, .title)]
        if let type = source.type, type != source.id { parts.append((type, .label)) }
        let stateText = source.state.map { "● " + $0 } ?? "● ?"
        parts.append((stateText, .color(Chrome.stateColor(source.state), bold: true)))
        if source.state == "failing", let error = source.lastError {
            parts.append((error, .color(.red)))
        } else if let sample {
            let age = now - sample.time
            let stale = !state.connection.isLive || age > 120
            parts.append(("sampled \(Format.ago(sample.time, now: now))", stale ? .color(.yellow) : .label))
        }
        return Rule.line(width: width, parts)
    }

    static func isCache(_ fields: Fields) -> Bool {
        fields["memory_items"] != nil && fields["hit_rate"] != nil
    }

    /// The cards of a sample: the cache's figures by name, or any source's scalar fields in order.
    static func cards(for fields: Fields) -> [Card] {
        guard isCache(fields) else { return genericCards(fields) }
        var cards: [Card] = []
        func count(_ label: String, _ name: String, alarm: Bool = false) {
            guard let value = fields[name]?.intValue else { return }
            cards.append(Card(label: label, value: Format.integer(value), style: alarm && value > 0 ? .color(.red, bold: true) : .bold))
        }
        func rate(_ label: String, _ name: String) {
            guard let value = fields[name]?.doubleValue else { return }
            let requests = fields["total_requests"]?.intValue ?? 0
            let color: TerminalColor = requests == 0 ? .gray : value >= 0.9 ? .green : value >= 0.7 ? .yellow : .red
            cards.append(Card(label: label, value: Format.percent(value), style: .color(color, bold: true)))
        }
        count("Memory items", "memory_items")
        count("Disk items", "disk_items")
        rate("Hit rate", "hit_rate")
        if let size = fields["cache_size_mb"]?.doubleValue {
            cards.append(Card(label: "Cache size", value: Format.megabytes(size), style: .bold))
        }
        count("Expired", "expired_entries")
        count("Requests", "total_requests")
        if let minutes = fields["uptime_minutes"]?.doubleValue {
            cards.append(Card(label: "Uptime", value: Format.duration(minutes * 60), style: .bold))
        }
        rate("Recent hit rate", "recent_hit_rate")
        count("Evictions", "evictions")
        count("Corrupt", "corrupt_entries", alarm: true)
        count("Disk errors", "disk_errors", alarm: true)
        count("Hits", "hits")
        count("Misses", "misses")
        count("Sets", "sets")
        count("Deletes", "deletes")
        count("Disk evictions", "disk_evictions")
        if let bytes = fields["memory_bytes"]?.doubleValue {
            cards.append(Card(label: "Memory used", value: Format.megabytes(bytes / 1_048_576), style: .bold))
        }
        return cards
    }

    static func genericCards(_ fields: Fields) -> [Card] {
        fields.compactMap { entry -> Card? in
            switch entry.value {
            case .list, .object: return nil
            default: return Card(label: label(entry.name), value: Format.value(entry.value), style: .bold)
            }
        }
    }

    /// `events_published` → `Events published`.
    static func label(_ name: String) -> String {
        let spaced = String(name.map { $0 == "_" ? " " : $0 })
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
