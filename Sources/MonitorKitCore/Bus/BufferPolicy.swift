/// What a subscription does with a new event when its queue is full.
public enum WhenFull: String, Sendable, Codable, CaseIterable {
    /// Discard the oldest queued event to make room (the default for views).
    case dropOldest = "drop_oldest"
    /// Discard the new event.
    case dropNewest = "drop_newest"
    /// Make the publisher wait for room (for logs and alerts that must not lose events).
    case block
}

/// The bounded queue of one subscription: `buffer: { max_events: 1000, when_full: drop_oldest }`.
public struct BufferPolicy: Sendable, Equatable, Decodable {
    /// The most events the queue holds.
    public var maxEvents: Int
    /// What a publish does when the queue is full.
    public var whenFull: WhenFull

    /// A queue of `maxEvents` events that drops as `whenFull` says.
    public init(maxEvents: Int = 1000, whenFull: WhenFull = .dropOldest) {
        self.maxEvents = max(1, maxEvents)
        self.whenFull = whenFull
    }

    enum CodingKeys: String, CodingKey {
        case maxEvents = "max_events"
        case whenFull = "when_full"
    }

    /// `max_events` from 1 to ten million: each queued event is held in memory.
    static let maxEventsRange = 1...10_000_000

    /// Decodes `buffer: { max_events, when_full }`, each value checked.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let maxEvents = try container.decodeIfPresent(Int.self, forKey: .maxEvents, in: Self.maxEventsRange) ?? 1000
        self.init(maxEvents: maxEvents, whenFull: try container.decodeIfPresent(WhenFull.self, forKey: .whenFull) ?? .dropOldest)
    }
}

/// Which sources a sink listens to: ids or glob patterns (`*`, `?`); empty means all.
public struct InputFilter: Sendable, Equatable {
    /// Source ids or glob patterns (`db*`); empty matches every source.
    public let patterns: [String]
    private let exact: Set<String>
    private let globs: [String]

    /// Every source.
    public static let all = InputFilter([])

    /// A filter admitting the sources that match any of `patterns`.
    public init(_ patterns: [String]) {
        self.patterns = patterns
        self.exact = Set(patterns.filter { !Self.isGlob($0) })
        self.globs = patterns.filter(Self.isGlob)
    }

    /// Whether every source is admitted (no patterns).
    public var matchesAll: Bool { patterns.isEmpty }

    /// Whether events of the source `source` are admitted.
    public func matches(_ source: String) -> Bool {
        if patterns.isEmpty || exact.contains(source) { return true }
        return globs.contains { Self.glob($0, matches: source) }
    }

    static func isGlob(_ pattern: String) -> Bool {
        pattern.contains("*") || pattern.contains("?")
    }

    /// Shell-style matching of `*` (any run) and `?` (one character).
    public static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
