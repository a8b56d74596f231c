import MonitorKitCore

/// Everything the view shows, built from events, backend answers and keys. A value type with no
/// I/O, so the whole view can be tested without a terminal.
struct DashboardState: Sendable {
    enum Prompt: Sendable, Equatable {
        case confirmClear(source: String)
    }

    /// A line in the footer for a while: a result, a refusal, an error.
    struct Notice: Sendable, Equatable {
        enum Tone: Sendable { case info, success, warning, error }
        var text: String
        var tone: Tone
        var until: Double
    }

    var mode: DashboardMode
    var version: String
    /// When the observed daemon started, Unix seconds.
    var daemonStart: Double?
    var connection: ConnectionState
    var sources: [SourceEntry] = []
    var selectedID: String?
    /// The source asked for (`source:` key or `--source`), selected as soon as it appears.
    var preferredSource: String?
    /// The newest figures of each source (the last sample or a fresher `stats` answer).
    var latest: [String: Sample] = [:]
    /// Metric samples per source, oldest first, for the sparklines.
    var history: [String: [Sample]] = [:]
    var historyCapacity: Int
    var alerts: [AlertNotice] = []
    var pipeline = PipelineState()
    /// The newest happenings (`cache.cleared`, `source.error`, alert transitions), newest last.
    var recentEvents: [Event] = []
    static let recentEventsCapacity = 100
    /// The daemon's own output lines while the view is up (sink mode), newest last.
    var outputLines: [String] = []
    /// The start of a line whose end has not arrived yet.
    var partialOutput: [UInt8] = []
    static let outputCapacity = 200
    var prompt: Prompt?
    var notice: Notice?
    var showHelp = false
    /// When the last event arrived.
    var lastEventAt: Double?

    /// How long a notice stays in the footer.
    static let noticeSeconds = 15.0

    init(mode: DashboardMode, version: String, connection: ConnectionState, preferredSource: String? = nil, historyCapacity: Int = 600) {
        self.mode = mode
        self.version = version
        self.connection = connection
        self.preferredSource = preferredSource
        self.historyCapacity = max(1, historyCapacity)
    }

    var selectedSource: SourceEntry? {
        guard let selectedID else { return nil }
        return sources.first { $0.id == selectedID }
    }

    /// The descriptors source `id` declares; empty when it declares none or is unknown.
    func metrics(of id: String) -> [MetricDescriptor] {
        sources.first { $0.id == id }?.metrics ?? []
    }

    var selectedIndex: Int? {
        sources.firstIndex { $0.id == selectedID }
    }

    mutating func notify(_ text: String, _ tone: Notice.Tone, now: Double) {
        notice = Notice(text: text, tone: tone, until: now + Self.noticeSeconds)
    }

    /// Drops a notice whose time is over; `true` when the screen changes.
    mutating func expireNotice(now: Double) -> Bool {
        guard let notice, notice.until <= now else { return false }
        self.notice = nil
        return true
    }

    /// Adds a source the view had not heard of, and picks a selection when there is none.
    mutating func ensureSource(_ id: String) {
        if !sources.contains(where: { $0.id == id }) { sources.append(SourceEntry(id: id)) }
        reconcileSelection()
    }

    /// Keeps the selection valid: the preferred source once it exists, else the current one, else
    /// the first source that declares its fields or can answer `stats`, else the first.
    mutating func reconcileSelection() {
        if let preferredSource, sources.contains(where: { $0.id == preferredSource }) {
            selectedID = preferredSource
            self.preferredSource = nil
            return
        }
        if let selectedID, sources.contains(where: { $0.id == selectedID }) { return }
        selectedID = sources.first { !$0.metrics.isEmpty || $0.actions?.contains("stats") == true }?.id ?? sources.first?.id
    }

    mutating func select(offset: Int) {
        guard !sources.isEmpty else { return }
        let index = selectedIndex ?? 0
        selectedID = sources[((index + offset) % sources.count + sources.count) % sources.count].id
        preferredSource = nil
    }

    mutating func record(_ sample: Sample, source: String) {
        var samples = history[source] ?? []
        // A replayed sample (history fetched while the stream was open) is not counted twice.
        if let last = samples.last, sample.time <= last.time { return }
        samples.append(sample)
        if samples.count > historyCapacity { samples.removeFirst(samples.count - historyCapacity) }
        history[source] = samples
    }
}
