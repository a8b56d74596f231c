import MonitorKitCore

extension DashboardState {
    /// Folds a data input into the state. Keys and timers are the app's business.
    mutating func apply(_ input: DashboardInput, now: Double) {
        switch input {
        case .snapshot(let snapshot): apply(snapshot)
        case .events(let events):
            for event in events { apply(event) }
            if !events.isEmpty { lastEventAt = now }
        case .connection(let state):
            if state == .live, connection != .live, connection != .connecting {
                notify("Connected again", .success, now: now)
            }
            connection = state
        case .bus(let figures, let sourceStates):
            pipeline.merge(bus: figures, sourceStates: sourceStates, at: now)
            for (id, state) in sourceStates {
                if let index = sources.firstIndex(where: { $0.id == id }) { sources[index].state = state }
            }
        case .stats(let source, let sample):
            ensureSource(source)
            latest[source] = sample
        case .cleared(let source, let summary):
            notify(Self.clearedText(source, summary, metrics: metrics(of: source)), .success, now: now)
        case .refreshed(let source): notify("Refreshed \(source) at \(Format.clock(now))", .success, now: now)
        case .failure(let message): notify(message, .error, now: now)
        case .output(let bytes): appendOutput(bytes)
        case .key, .resize, .tick, .frame, .feedEnded, .signal: break
        }
    }

    mutating func apply(_ snapshot: DashboardSnapshot) {
        if let version = snapshot.version { self.version = version }
        if let start = snapshot.startTime { daemonStart = start }
        // The snapshot's list is authoritative for order and details; sources seen only in events stay.
        let known = Dictionary(sources.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var merged = snapshot.sources.map { entry -> SourceEntry in
            var entry = entry
            if entry.state == nil { entry.state = known[entry.id]?.state }
            if entry.lastError == nil { entry.lastError = known[entry.id]?.lastError }
            if entry.metrics.isEmpty { entry.metrics = known[entry.id]?.metrics ?? [] }
            return entry
        }
        for entry in sources where !merged.contains(where: { $0.id == entry.id }) { merged.append(entry) }
        sources = merged
        for (source, events) in snapshot.history {
            ensureSource(source)
            for event in events { apply(event) }
        }
        for (source, sample) in snapshot.stats {
            ensureSource(source)
            if (latest[source]?.time ?? -.infinity) <= sample.time { latest[source] = sample }
        }
        if let alerts = snapshot.alerts {
            self.alerts = alerts.filter(\.isActive).sorted(by: AlertNotice.displayOrder)
        }
        reconcileSelection()
    }

    /// One event from the bus or the stream.
    mutating func apply(_ event: Event) {
        if event.kind != .metric {
            recentEvents.append(event)
            if recentEvents.count > Self.recentEventsCapacity { recentEvents.removeFirst(recentEvents.count - Self.recentEventsCapacity) }
        }
        switch event.kind {
        case .metric:
            if event.name == "internal.stats" {
                let figures = PipelineState(internalStats: event.fields, time: event.time)
                pipeline.merge(internalStats: figures)
                for row in figures.sources {
                    if let index = sources.firstIndex(where: { $0.id == row.id }) { sources[index].state = row.state }
                }
            }
            ensureSource(event.source)
            let sample = Sample(time: event.time, fields: event.fields)
            record(sample, source: event.source)
            if (latest[event.source]?.time ?? -.infinity) <= event.time { latest[event.source] = sample }
            if let index = sources.firstIndex(where: { $0.id == event.source }), sources[index].state == "failing" || sources[index].state == nil {
                sources[index].state = "ok"
                sources[index].lastError = nil
            }
        case .alert:
            guard event.name == "alert", let alert = AlertNotice(event) else { return }
            alerts.removeAll { $0.fingerprint == alert.fingerprint }
            if alert.isActive {
                alerts.append(alert)
                alerts.sort(by: AlertNotice.displayOrder)
            }
        case .event:
            if event.name == "source.error" {
                ensureSource(event.source)
                if let index = sources.firstIndex(where: { $0.id == event.source }) {
                    sources[index].state = "failing"
                    sources[index].lastError = event.fields["error"]?.stringValue
                }
            }
        }
    }
}

extension DashboardState {
    /// `Cleared cache: 25 memory items and 25 disk items removed`: each count under the title
    /// its source gives the field, not a total (a write-through entry is held in both tiers).
    static func clearedText(_ source: String, _ summary: ClearSummary, metrics: [MetricDescriptor]) -> String {
        let parts = summary.removed.map { name, count in
            let title = metrics.first { $0.name == name }?.display?.title ?? CardsSection.label(name)
            return Format.integer(count) + " " + lowercasedFirst(title)
        }
        let counts: String
        if let last = parts.last, parts.count > 1 {
            counts = parts.dropLast().joined(separator: ", ") + " and " + last
        } else {
            counts = parts.first ?? Format.integer(summary.total) + " entries"
        }
        return "Cleared \(source): \(counts) removed"
    }

    /// `Memory items` → `memory items`; `TTL` stays.
    static func lowercasedFirst(_ title: String) -> String {
        let characters = Array(title)
        guard let first = characters.first, characters.count < 2 || !characters[1].isUppercase else { return title }
        return first.lowercased() + String(characters.dropFirst())
    }
}

extension DashboardState {
    /// Splits captured output into lines, without the colour codes a log handler may add.
    mutating func appendOutput(_ bytes: [UInt8]) {
        partialOutput.append(contentsOf: bytes)
        while let newline = partialOutput.firstIndex(of: 0x0A) {
            let line = Self.stripEscapes(partialOutput[..<newline])
            partialOutput.removeSubrange(...newline)
            outputLines.append(line.hasSuffix("\r") ? String(line.dropLast()) : line)
        }
        if outputLines.count > Self.outputCapacity { outputLines.removeFirst(outputLines.count - Self.outputCapacity) }
    }

    /// The text without CSI sequences (`ESC [ ... final`).
    static func stripEscapes(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x1B, bytes.index(after: index) < bytes.endIndex, bytes[bytes.index(after: index)] == UInt8(ascii: "[") {
                index = bytes.index(index, offsetBy: 2)
                while index < bytes.endIndex, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
                index = min(bytes.endIndex, index + 1)
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
