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

    init(sourceIDs: [String], inputs: InputFilter) {
        self.sourceIDs = sourceIDs
        self.inputs = inputs
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

/// One problem `check(_:)` found: where in the component (a key path such as `source` or
/// `rules[1].metric`) and what is wrong, with how to fix it.
public struct ConfigProblem: Sendable, Equatable {
    /// Keys joined by `.`, list indexes as `[n]`, relative to the component.
    public var path: String
    /// What is wrong, and how to fix it.
    public var message: String

    /// The problem `message` at the key path `path` of the component.
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
