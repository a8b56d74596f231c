/// Thrown when the decoder reaches a scalar whose interpolation already failed and was reported.
struct AlreadyReported: Error {}

/// What one decode has seen: which mappings were opened and which of their keys were asked
/// about, so keys nobody asked about can be reported as unknown afterwards.
///
/// Lives for a single decode on a single thread; never shared across tasks.
final class YAMLDecodingState {
    struct MappingUse {
        var node: YAMLNode
        var codingPath: [any CodingKey]
        /// Keys asked about through decode, decodeIfPresent or contains, in the order asked.
        var asked: [String] = []
        var askedSet: Set<String> = []
        /// `Key(stringValue:)` of each CodingKey type that opened the mapping.
        var acceptors: [(String) -> Bool] = []
        /// The type listed `allKeys` (a dictionary), so it handles every key itself.
        var enumerated = false
    }

    /// Scalars whose interpolation failed (already reported).
    let failed: Set<YAMLNode.Mark>
    private var uses: [String: MappingUse] = [:]
    private var order: [String] = []

    init(failed: Set<YAMLNode.Mark>) {
        self.failed = failed
    }

    static func id(_ codingPath: [any CodingKey]) -> String {
        ConfigPath.root.appending(codingPath).description
    }

    func checkFailed(_ node: YAMLNode) throws {
        if node.scalar != nil, failed.contains(node.mark) { throw AlreadyReported() }
    }

    func opened(_ node: YAMLNode, codingPath: [any CodingKey], accepts: @escaping (String) -> Bool) {
        let id = Self.id(codingPath)
        if uses[id] == nil {
            uses[id] = MappingUse(node: node, codingPath: codingPath)
            order.append(id)
        }
        uses[id]?.acceptors.append(accepts)
    }

    func asked(_ key: String, at id: String) {
        guard uses[id]?.askedSet.insert(key).inserted == true else { return }
        uses[id]?.asked.append(key)
    }

    func enumerated(at id: String) {
        uses[id]?.enumerated = true
    }

    /// Every key nobody asked about. After a failed decode, only keys no CodingKey type accepts are
    /// reported, since the decode stopped before asking about the rest.
    func unknownKeys(root: YAMLNode, allowedKeys: Set<String>, succeeded: Bool, file: String, base: ConfigPath) -> [ConfigError] {
        var errors: [ConfigError] = []
        let rootID = Self.id([])
        if succeeded, uses[rootID] == nil, let entries = root.entries {
            // The type read no keys at all (an empty struct): everything but the shared keys is unknown.
            for entry in entries where !allowedKeys.contains(entry.key) {
                errors.append(unknownField(entry, candidates: allowedKeys.sorted(), file: file, path: base))
            }
        }
        for id in order {
            guard let use = uses[id], !use.enumerated, let entries = use.node.entries else { continue }
            let isRoot = id == rootID
            let accepts = { (key: String) in use.acceptors.contains { $0(key) } }
            var candidates = use.asked + (isRoot ? allowedKeys.sorted().filter { !use.askedSet.contains($0) } : [])
            if !succeeded {
                // The decode stopped early: keys written in the file that the type accepts are valid too.
                candidates += entries.map(\.key).filter { !use.askedSet.contains($0) && accepts($0) }
            }
            for entry in entries {
                if use.askedSet.contains(entry.key) || (isRoot && allowedKeys.contains(entry.key)) { continue }
                if !succeeded, accepts(entry.key) { continue }
                let path = base.appending(use.codingPath)
                if let match = Suggestion.closest(to: entry.key, in: candidates) ?? Suggestion.oneEditAway(from: entry.key, accepted: accepts) {
                    errors.append(ConfigError(
                        file: file, mark: entry.keyMark, path: path.appending(entry.key),
                        message: "unknown field \"\(entry.key)\" (did you mean \"\(match)\"?)"))
                } else {
                    errors.append(unknownField(entry, candidates: candidates, complete: succeeded, file: file, path: path))
                }
            }
        }
        return errors
    }

    private func unknownField(_ entry: YAMLNode.Entry, candidates: [String], complete: Bool = true, file: String, path: ConfigPath) -> ConfigError {
        let message: String
        if let match = Suggestion.closest(to: entry.key, in: candidates) {
            message = "unknown field \"\(entry.key)\" (did you mean \"\(match)\"?)"
        } else if candidates.isEmpty {
            message = complete ? "unknown field \"\(entry.key)\"; this section takes no fields" : "unknown field \"\(entry.key)\""
        } else {
            message = "unknown field \"\(entry.key)\"; valid fields \(complete ? "are" : "include"): \(candidates.joined(separator: ", "))"
        }
        return ConfigError(file: file, mark: entry.keyMark, path: path.appending(entry.key), message: message)
    }
}
