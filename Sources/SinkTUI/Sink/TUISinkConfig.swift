#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

/// `type: tui`: the full-screen terminal view of this daemon, drawn from its own bus.
///
/// ```yaml
/// sinks:
///   terminal: { type: tui, refresh: 1s, source: cache }
/// ```
public struct TUISinkConfig: SinkConfig {
    /// The `type:` value that selects this sink.
    public static let type = "tui"

    /// How often the view redraws when no event arrives (the clock, ages, queue figures).
    public var refresh: Duration
    /// The source selected at start; the first source with a `stats` action when absent.
    public var source: String?

    /// A config redrawing every `refresh`, showing `source` (the first source with a `stats` action when `nil`).
    public init(refresh: Duration = .seconds(1), source: String? = nil) {
        self.refresh = refresh
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case refresh
        case source
    }

    /// Decodes the sink's keys, each value checked.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        refresh = try container.decodeIfPresent(Duration.self, forKey: .refresh, in: .milliseconds(100) ... .seconds(60)) ?? .seconds(1)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        if let source, source.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .source, in: container, debugDescription: "source must name a source id, e.g. cache; remove the key to pick the cache")
        }
    }

    /// `source:` must name an enabled source (as `build` requires when there are sources at all).
    public func check(_ context: ConfigCheckContext) -> [ConfigProblem] {
        guard let source, !context.sourceIDs.isEmpty, let problem = context.unknownSource(source) else { return [] }
        return [ConfigProblem(at: "source", problem)]
    }

    /// Fails when stdout is not a terminal: a full-screen view written into a pipe or a log file
    /// would only be garbage, and the daemon should say so at start, not run blind.
    public func build(context: SinkBuildContext) async throws -> any Sink {
        try build(context: context, outputFD: STDOUT_FILENO)
    }

    func build(context: SinkBuildContext, outputFD: Int32) throws -> TUISink {
        // A mistake in the file first: it stays wrong in any terminal.
        let known = context.runtime.sources.map(\.id)
        if let source, !known.isEmpty, !known.contains(source) {
            throw TUIError.unknownSource(sink: context.id, source: source, known: known)
        }
        guard TerminalScreen.isTerminal(outputFD) else {
            throw TUIError.notATerminal(sink: context.id)
        }
        return TUISink(id: context.id, config: self, runtime: context.runtime, colors: Self.colorsWanted())
    }

    /// `NO_COLOR` set to anything non-empty turns colours off (https://no-color.org).
    static func colorsWanted() -> Bool {
        guard let value = getenv("NO_COLOR") else { return true }
        return String(cString: value).isEmpty
    }
}
