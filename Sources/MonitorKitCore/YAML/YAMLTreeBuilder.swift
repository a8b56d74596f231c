/// Assembles libyaml's events into a ``YAMLNode`` tree: resolves aliases, applies `<<` merge keys,
/// and collects duplicate keys and undefined aliases as errors without stopping.
struct YAMLTreeBuilder {
    /// A mapping or sequence still being read.
    private enum Frame {
        case mapping(MappingFrame)
        case sequence(mark: YAMLNode.Mark, anchor: String?, elements: [YAMLNode])
    }

    private struct MappingFrame {
        /// Explicit entries, and the entries each `<<` brings in, in the order they were written.
        enum Part { case entry(YAMLNode.Entry), merge([YAMLNode.Entry]) }

        var mark: YAMLNode.Mark
        var anchor: String?
        var parts: [Part] = []
        var firstSeen: [String: YAMLNode.Mark] = [:]
        /// The key read whose value comes next.
        var pendingKey: (text: String, mark: YAMLNode.Mark, isMerge: Bool)?
    }

    let file: String
    private(set) var root: YAMLNode?
    private(set) var errors: [ConfigError] = []
    private(set) var placeholders: Set<YAMLNode.Mark> = []
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    /// Nodes in each open mapping or sequence counting what aliases expand to, parallel to `stack`.
    private var sizes: [Int] = []
    /// Nodes that aliases have added so far: nested aliases can multiply a small file into an
    /// enormous tree ("billion laughs"), which the limit stops.
    private var expanded = 0
    static let expansionLimit = 1_000_000

    init(file: String) {
        self.file = file
    }

    mutating func startMapping(at mark: YAMLNode.Mark, anchor: String?) {
        stack.append(.mapping(MappingFrame(mark: mark, anchor: anchor)))
        sizes.append(1)
    }

    mutating func startSequence(at mark: YAMLNode.Mark, anchor: String?) {
        stack.append(.sequence(mark: mark, anchor: anchor, elements: []))
        sizes.append(1)
    }

    /// Closes the innermost mapping or sequence.
    mutating func end() {
        guard let frame = stack.popLast() else { return }
        let size = sizes.popLast() ?? 1
        switch frame {
        case .sequence(let mark, let anchor, let elements):
            add(YAMLNode(.sequence(elements), mark: mark), anchor: anchor, size: size)
        case .mapping(let mapping):
            add(YAMLNode(.mapping(Self.flatten(mapping.parts)), mark: mapping.mark), anchor: mapping.anchor, size: size)
        }
    }

    mutating func alias(_ name: String, at mark: YAMLNode.Mark) {
        if let anchored = anchors[name], expanded + anchored.size <= Self.expansionLimit {
            expanded += anchored.size
            add(anchored.node, anchor: nil, size: anchored.size)
        } else if anchors[name] != nil {
            if expanded <= Self.expansionLimit {
                errors.append(ConfigError(
                    file: file, mark: mark, path: currentPath,
                    message: "aliases here expand the file to more than \(Self.expansionLimit) values; use fewer nested aliases"))
                expanded = Self.expansionLimit + 1
            }
            placeholders.insert(mark)
            add(YAMLNode(.scalar(YAMLNode.Scalar("")), mark: mark), anchor: nil)
        } else {
            errors.append(ConfigError(
                file: file, mark: mark, path: currentPath,
                message: "undefined alias \"*\(name)\"; define the anchor first with \"&\(name)\" on the value to reuse"))
            placeholders.insert(mark)
            add(YAMLNode(.scalar(YAMLNode.Scalar("")), mark: mark), anchor: nil)
        }
    }

    /// Places a finished node: the document root, a sequence element, a mapping key or a value.
    mutating func add(_ node: YAMLNode, anchor: String?, size: Int = 1) {
        if let anchor { anchors[anchor] = (node, size) }
        if !sizes.isEmpty { sizes[sizes.count - 1] += size }
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(let mark, let anchor, var elements):
            elements.append(node)
            stack.append(.sequence(mark: mark, anchor: anchor, elements: elements))
        case .mapping(var mapping):
            if let key = mapping.pendingKey {
                mapping.pendingKey = nil
                let keyPath = currentPath.appending(key.text)
                if key.isMerge {
                    mapping.parts.append(.merge(mergedEntries(node, path: keyPath)))
                } else if let first = mapping.firstSeen[key.text] {
                    errors.append(ConfigError(
                        file: file, mark: key.mark, path: keyPath,
                        message: "duplicate key \"\(key.text)\" (first at line \(first.line)); keep only one of them"))
                } else {
                    mapping.firstSeen[key.text] = key.mark
                    mapping.parts.append(.entry(YAMLNode.Entry(key: key.text, keyMark: key.mark, value: node)))
                }
            } else {
                mapping.pendingKey = key(from: node)
            }
            stack.append(.mapping(mapping))
        }
    }

    private mutating func key(from node: YAMLNode) -> (text: String, mark: YAMLNode.Mark, isMerge: Bool) {
        guard let scalar = node.scalar else {
            errors.append(ConfigError(
                file: file, mark: node.mark, path: currentPath,
                message: "a key must be a plain name, found \(node.summary)"))
            return ("", node.mark, false)
        }
        let isMerge = scalar.text == "<<" && (scalar.style == .plain || scalar.tag == "tag:yaml.org,2002:merge")
        return (scalar.text, node.mark, isMerge)
    }

    /// The entries a `<<` value brings: one mapping, or a list of them where earlier ones win.
    private mutating func mergedEntries(_ node: YAMLNode, path: ConfigPath) -> [YAMLNode.Entry] {
        let sources = node.elements ?? [node]
        var entries: [YAMLNode.Entry] = []
        var seen = Set<String>()
        for source in sources {
            guard let sourceEntries = source.entries else {
                errors.append(ConfigError(
                    file: file, mark: source.mark, path: path,
                    message: "\"<<\" merges a mapping or a list of mappings (usually an alias like *defaults), found \(source.summary)"))
                continue
            }
            for entry in sourceEntries where seen.insert(entry.key).inserted {
                entries.append(entry)
            }
        }
        return entries
    }

    /// Explicit keys win over merged ones, wherever the `<<` was written.
    private static func flatten(_ parts: [MappingFrame.Part]) -> [YAMLNode.Entry] {
        var explicit = Set<String>()
        for case .entry(let entry) in parts { explicit.insert(entry.key) }
        var result: [YAMLNode.Entry] = []
        var seen = Set<String>()
        for part in parts {
            switch part {
            case .entry(let entry):
                if seen.insert(entry.key).inserted { result.append(entry) }
            case .merge(let merged):
                for entry in merged where !explicit.contains(entry.key) && seen.insert(entry.key).inserted {
                    result.append(entry)
                }
            }
        }
        return result
    }

    /// The path of the node being read, for error messages.
    private var currentPath: ConfigPath {
        var path = ConfigPath.root
        for frame in stack {
            switch frame {
            case .mapping(let mapping):
                if let key = mapping.pendingKey { path = path.appending(key.text) }
            case .sequence(_, _, let elements):
                path = path.appending(index: elements.count)
            }
        }
        return path
    }
}
