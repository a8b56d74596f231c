/// What a component's config is checked against besides its own keys: the rest of the file.
///
/// A plugin whose `build` would refuse its config for a reason that can be known without side
/// effects (a source that does not exist, a directory that is missing) says so in `check(_:)`,
/// so that `monitord validate` fails exactly when `monitord run` would.
public struct ConfigCheckContext: Sendable {
    /// The ids of the enabled sources, in file order.
    public let sourceIDs: [String]
    /// The sink's own `inputs` (for a source: every source).
    public let inputs: InputFilter
    /// The data directories of the enabled sources that keep one, in file order.
    public let directories: [SourceDirectory]
    /// The fields each enabled source declares, by source id (empty while the sources' own
    /// declarations are being made).
    public let metrics: [String: [MetricDescriptor]]

    init(sourceIDs: [String], inputs: InputFilter, directories: [SourceDirectory] = [], metrics: [String: [MetricDescriptor]] = [:]) {
        self.sourceIDs = sourceIDs
        self.inputs = inputs
        self.directories = directories
        self.metrics = metrics
    }

    /// The contexts of a file's enabled sources, in two steps so that a source's declaration
    /// may depend on the others' directories: directories first, then each source's fields.
    static func forSources(_ sources: [(id: String, config: any SourceConfig)]) -> ConfigCheckContext {
        let ids = sources.map(\.id)
        let directories = sources.compactMap { source in source.config.dataDirectory.map { SourceDirectory(source: source.id, path: $0) } }
        let declaring = ConfigCheckContext(sourceIDs: ids, inputs: .all, directories: directories)
        var metrics: [String: [MetricDescriptor]] = [:]
        for source in sources { metrics[source.id] = source.config.metrics(declaring) }
        return ConfigCheckContext(sourceIDs: ids, inputs: .all, directories: directories, metrics: metrics)
    }

    /// The same file seen by a sink with `inputs`.
    func with(inputs: InputFilter) -> ConfigCheckContext {
        ConfigCheckContext(sourceIDs: sourceIDs, inputs: inputs, directories: directories, metrics: metrics)
    }

    /// The descriptor of `<source>.<field>`, when the source declares it.
    public func descriptor(of metric: String) -> MetricDescriptor? {
        guard let dot = metric.firstIndex(of: ".") else { return nil }
        let field = metric[metric.index(after: dot)...]
        return metrics[String(metric[..<dot])]?.first { $0.name == field }
    }

    /// Why `metric` (`<source>.<field>`) names no figure a sample will carry, or `nil` when it
    /// names one or its source declares no fields (an undeclared source's fields are unknown
    /// until it runs): `cache has no field "hit_rat" (did you mean "hit_rate"?)`.
    public func unknownMetric(_ metric: String) -> String? {
        guard let dot = metric.firstIndex(of: ".") else { return "\(quoted(metric)) is not <source>.<field>" }
        let source = String(metric[..<dot]), field = String(metric[metric.index(after: dot)...])
        if let problem = unknownSource(source) { return problem }
        guard let fields = metrics[source], !fields.isEmpty, !fields.contains(where: { $0.name == field }) else { return nil }
        if let close = Suggestion.closest(to: field, in: fields.map(\.name)) {
            return "source \(quoted(source)) has no field \(quoted(field)) (did you mean \(quoted(source + "." + close))?)"
        }
        let names = fields.filter { $0.kind != .info }.map(\.name)
        return "source \(quoted(source)) has no field \(quoted(field)); its fields: \(names.joined(separator: ", "))"
    }

    /// Why `name` is not a usable source id, or `nil` when it is one: `no source named "cahce"
    /// (did you mean "cache"?)`.
    public func unknownSource(_ name: String) -> String? {
        guard !sourceIDs.contains(name) else { return nil }
        if let close = Suggestion.closest(to: name, in: sourceIDs) {
            return "no source named \(quoted(name)) (did you mean \(quoted(close))?)"
        }
        return sourceIDs.isEmpty
            ? "no source named \(quoted(name)); there are no enabled sources"
            : "no source named \(quoted(name)); sources: \(sourceIDs.joined(separator: ", "))"
    }
}

/// A source's data directory, as another source (the `system` source) sees it.
public struct SourceDirectory: Sendable, Equatable {
    /// The id of the source that keeps its data there.
    public var source: String
    public var path: String

    /// `source` keeps its data in `path`.
    public init(source: String, path: String) {
        self.source = source
        self.path = path
    }
}

/// One problem `check(_:)` found: where in the component (a key path such as `source` or
/// `rules[1].metric`) and what is wrong, with how to fix it.
public struct ConfigProblem: Sendable, Equatable {
    /// Keys joined by `.`, list indexes as `[n]`, relative to the component.
    public var path: String
    public var message: String

    public init(at path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// The path as steps: `rules[1].metric` → key `rules`, index 1, key `metric`.
    var steps: [ConfigPath.Component] {
        var steps: [ConfigPath.Component] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { steps.append(.key(String(name))) }
            steps += indexes.map(ConfigPath.Component.index)
        }
        return steps
    }
}

extension MonitordConfig {
    /// The fields each enabled source declares, by source id (what `validate` checks rules
    /// against, and what `/metrics` exports).
    public var declaredMetrics: [String: [MetricDescriptor]] {
        ConfigCheckContext.forSources(sources.map { ($0.id, $0.config) }).metrics
    }
}
