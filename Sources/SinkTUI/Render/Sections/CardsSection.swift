import MonitorKitCore

/// The selected source's newest figures as a grid of labelled values.
struct CardsSection: BodySection {
    struct Card: Equatable {
        var label: String
        var value: String
        var style: TextStyle
    }

    static let cardWidth = 26
    let state: DashboardState
    let width: Int
    let now: Double

    var columns: Int { max(1, min(4, width / Self.cardWidth)) }
    var source: SourceEntry? { state.selectedSource }
    var sample: Sample? { source.flatMap { state.latest[$0.id] } }
    var metrics: [MetricDescriptor] { source?.metrics ?? [] }
    var cards: [Card] { sample.map { Self.cards(for: $0.fields, metrics: metrics) } ?? [] }

    var demand: LayoutPlan.Demand {
        let cards = self.cards
        guard !cards.isEmpty else { return LayoutPlan.Demand(minimum: 2, preferred: 2) }
        let headline = Self.headlineCount(sample?.fields ?? Fields(), metrics: metrics)
        let required = headline > 0 ? min(cards.count, headline) : min(cards.count, columns)
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
        let cards = Self.cards(for: sample.fields, metrics: metrics)
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

    /// The headline cards of a sample (`display.card`): the ones that survive the smallest terminal.
    static func headlineCount(_ fields: Fields, metrics: [MetricDescriptor]) -> Int {
        metrics.filter { $0.display?.card != nil && isScalar(fields[$0.name]) }.count
    }

    /// The cards of a sample: the headline fields its source declares in their order, then its
    /// other displayed fields; for a source that declares none, its scalar fields in order.
    static func cards(for fields: Fields, metrics: [MetricDescriptor]) -> [Card] {
        let shown = metrics.filter { $0.display != nil && isScalar(fields[$0.name]) }
        guard !shown.isEmpty else { return genericCards(fields) }
        let headline = shown.filter { $0.display?.card != nil }.sorted { ($0.display?.card ?? 0) < ($1.display?.card ?? 0) }
        return (headline + shown.filter { $0.display?.card == nil }).compactMap { descriptor in
            guard let value = fields[descriptor.name], let display = descriptor.display else { return nil }
            let style = MetricGrade.color(descriptor, in: fields).map { TextStyle.color($0, bold: true) } ?? .bold
            return Card(label: display.title, value: Format.metric(value, descriptor), style: style)
        }
    }

    static func isScalar(_ value: Value?) -> Bool {
        switch value {
        case nil, .list?, .object?: false
        default: true
        }
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
