/// A component that produces events: periodic samples, happenings, and answers to actions.
///
/// The scheduler calls ``sample()`` every `interval` and publishes the result as a `metric` event
/// named ``sampleName``. Anything else the source wants to say goes through the ``Emitter`` it was
/// handed at build time.
public protocol Source: Sendable {
    /// The component id from `monitord.yaml` (e.g. `cache`).
    var id: String { get }
    /// The name of the metric events built from ``sample()`` (e.g. `cache.stats`).
    var sampleName: String { get }
    /// The actions this source answers through ``perform(action:arguments:)``.
    var actions: [String] { get }

    /// One sample of the source's figures. Throwing marks the source `failing` and backs off.
    func sample() async throws -> Fields

    /// Runs a named action (`stats`, `clear` for the cache). Unknown names throw
    /// ``SourceActionError/unknownAction(source:action:)``.
    func perform(action: String, arguments: Fields) async throws -> Fields

    /// Background work of the source's own (the cache's sweep), run for the source's lifetime.
    /// Returns when the task is cancelled or graceful shutdown begins. The default does nothing.
    func run() async throws
}

extension Source {
    /// None: the source answers no actions.
    public var actions: [String] { [] }

    /// Refuses every action as unknown.
    public func perform(action: String, arguments: Fields) async throws -> Fields {
        throw SourceActionError.unknownAction(source: id, action: action)
    }

    /// Nothing to do in the background.
    public func run() async throws {}
}

/// Why an action could not run.
public enum SourceActionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownSource(String)
    case unknownAction(source: String, action: String)
    case invalidArgument(String)

    /// The message an API client or the log sees.
    public var description: String {
        switch self {
        case .unknownSource(let id): "no source named \"\(id)\""
        case .unknownAction(let source, let action): "source \"\(source)\" has no action \"\(action)\""
        case .invalidArgument(let message): message
        }
    }
}
