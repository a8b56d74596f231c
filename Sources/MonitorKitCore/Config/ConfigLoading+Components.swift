/// Whether a component sits under `sources:` or `sinks:`.
enum ComponentKind {
    case source, sink

    var section: String { self == .source ? "sources" : "sinks" }
    var noun: String { self == .source ? "source" : "sink" }
}

/// One `id: { ... }` entry of `sources:` or `sinks:`.
struct ComponentEntry {
    var id: String
    var keyMark: YAMLNode.Mark
    /// The component's mapping (an empty one when it was written with nothing under it).
    var node: YAMLNode
    var path: ConfigPath
}

struct LoadedSource {
    var entry: ComponentEntry
    var enabled = true
    /// Nil when the shared keys had errors.
    var settings: SourceSettings?
    /// Nil when the type is unknown or the plugin's keys had errors.
    var config: (any SourceConfig)?
}

struct LoadedSink {
    var entry: ComponentEntry
    var enabled = true
    /// The `inputs` patterns as written, checked even when the sink's type is unknown.
    var inputs: [String] = []
    var settings: SinkSettings?
    var config: (any SinkConfig)?
}

extension ConfigLoading {
    /// Component ids are used in URLs, metric names and `inputs`, so they stay simple.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    mutating func components(of section: YAMLNode.Entry?, kind: ComponentKind) -> [ComponentEntry] {
        guard let section, !section.value.isNull else { return [] }
        let sectionPath = ConfigPath(keys: kind.section)
        guard let entries = section.value.entries else {
            error(section.value.mark, sectionPath,
                  "expected a mapping of \(kind.noun) ids to their settings (like \"cache: { type: cache }\"), found \(section.value.summary)")
            return []
        }
        var result: [ComponentEntry] = []
        for entry in entries {
            let path = sectionPath.appending(entry.key)
            if entry.key.isEmpty {
                error(entry.keyMark, path, "a \(kind.noun) id cannot be empty; name it, like \"cache:\"")
            } else if !Self.isValidID(entry.key) {
                error(entry.keyMark, path, "\(kind.noun) id \(quoted(entry.key)) may only use letters, digits, \"_\" and \"-\"; rename it")
            }
            if entry.value.isNull {
                result.append(ComponentEntry(id: entry.key, keyMark: entry.keyMark, node: YAMLNode(.mapping([]), mark: entry.value.mark), path: path))
            } else if entry.value.entries != nil {
                result.append(ComponentEntry(id: entry.key, keyMark: entry.keyMark, node: entry.value, path: path))
            } else {
                error(entry.value.mark, path, "expected the settings of \(kind.noun) \"\(entry.key)\" as a mapping (type: ... and its keys), found \(entry.value.summary)")
            }
        }
        return result
    }

    /// The component's `type`, if it names a registered plugin of this kind; records why not otherwise.
    mutating func pluginType(of component: ComponentEntry, kind: ComponentKind) -> String? {
        let known = (kind == .source ? Array(registry.sources.keys) : Array(registry.sinks.keys)).sorted()
        let other = kind == .source ? registry.sinks : [:]
        let otherSources = kind == .sink ? registry.sources : [:]
        let list = known.isEmpty ? "none are registered" : "known \(kind.noun) types: \(known.joined(separator: ", "))"
        guard let typeEntry = component.node.entry("type") else {
            error(component.keyMark, component.path, "missing \"type\"; \(list)")
            return nil
        }
        let path = component.path.appending("type")
        let node = typeEntry.value
        if failed.contains(node.mark) { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            error(node.mark, path, "expected a \(kind.noun) type name, found \(node.summary); \(list)")
            return nil
        }
        if known.contains(scalar.text) { return scalar.text }
        if other[scalar.text] != nil || otherSources[scalar.text] != nil {
            let home = kind == .source ? "sinks" : "sources"
            error(node.mark, path, "\(quoted(scalar.text)) is a \(kind == .source ? "sink" : "source") type; move \"\(component.id)\" under \(home):")
            return nil
        }
        let hint = Suggestion.closest(to: scalar.text, in: known).map { " (did you mean \"\($0)\"?)" } ?? "; \(list)"
        error(node.mark, path, "unknown \(kind.noun) type \(quoted(scalar.text))\(hint)")
        return nil
    }

    /// One shared key of a component, decoded on its own so a mistake in one shared key never
    /// hides a mistake in another; nil when absent, null or wrong (the error is recorded).
    mutating func decodeKey<T: Decodable>(_ key: String, as type: T.Type, of component: ComponentEntry) -> T? {
        guard let node = component.node[key], !node.isNull else { return nil }
        let (value, problems) = decoder.decodeCollecting(
            T.self, from: node, file: file, path: component.path.appending(key), failed: failed)
        errors += problems
        return value
    }

    mutating func decodePlugin<C: Decodable>(_ type: C.Type, _ component: ComponentEntry, sharedKeys: Set<String>) -> C? {
        let (value, problems) = decoder.decodeCollecting(
            C.self, from: component.node, file: file, path: component.path, allowedKeys: sharedKeys, failed: failed)
        errors += problems
        return value
    }
}
