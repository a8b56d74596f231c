/// `type: internal`: the pipeline reporting on itself, as Vector's `internal_metrics` does.
///
/// Each sample (`internal.stats`) carries events published, every subscription's received,
/// delivered, dropped and queued counts, and every source's state, samples, errors, overruns and
/// last sample duration.
public struct InternalSourceConfig: SourceConfig {
    /// The `type:` value that selects this source.
    public static let type = "internal"

    /// The only config: the source has no keys of its own.
    public init() {}

    /// Decodes the (empty) section; any key in it is reported as unknown.
    public init(from decoder: any Decoder) throws {
        // No keys of its own; the shared keys (interval, ...) are the loader's.
        _ = try decoder.container(keyedBy: NoKeys.self)
    }

    private enum NoKeys: CodingKey {}

    /// Builds the source over the runtime's own figures.
    public func build(context: SourceBuildContext) async throws -> any Source {
        InternalSource(id: context.id, pipeline: context.pipeline)
    }
}

struct InternalSource: Source {
    let id: String
    let pipeline: Pipeline?

    var sampleName: String { "internal.stats" }
    var actions: [String] { ["stats"] }

    func sample() async throws -> Fields {
        pipeline?.snapshot() ?? Fields()
    }

    func perform(action: String, arguments: Fields) async throws -> Fields {
        guard action == "stats" else { throw SourceActionError.unknownAction(source: id, action: action) }
        return try await sample()
    }
}
