/// A parsed YAML document: scalars, mappings and sequences, each carrying the position it was
/// written at, so every config error can name a line and column.
///
/// Aliases are already resolved (an alias is a copy of the node its anchor names) and `<<` merge
/// keys are already applied, so a consumer never sees either.
public struct YAMLNode: Sendable, Equatable {
    /// A position in the source text, 1-based.
    public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int

        /// The position at `line` and `column`, both 1-based.
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        /// In reading order: by line, then column.
        public static func < (lhs: Mark, rhs: Mark) -> Bool {
            (lhs.line, lhs.column) < (rhs.line, rhs.column)
        }

        /// `line:column`.
        public var description: String { "\(line):\(column)" }
    }

    /// How a scalar was written.
    public enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// A scalar as written: its text (after YAML unescaping), its style and its explicit tag.
    public struct Scalar: Sendable, Equatable {
        /// The text after YAML unescaping.
        public var text: String
        /// How the scalar was written.
        public var style: ScalarStyle
        /// The explicit tag (`tag:yaml.org,2002:str` for `!!str`), or nil when none was written.
        public var tag: String?

        /// A scalar of `text`, written in `style`, with the explicit `tag` if any.
        public init(_ text: String, style: ScalarStyle = .plain, tag: String? = nil) {
            self.text = text
            self.style = style
            self.tag = tag
        }

        /// Written in quotes or as a block scalar, so never read as null.
        public var isQuoted: Bool { style != .plain }

        /// A plain `~`, `null` or empty scalar: YAML's null.
        public var isNull: Bool {
            guard style == .plain, tag == nil || tag == "tag:yaml.org,2002:null" else { return false }
            switch text {
            case "", "~", "null", "Null", "NULL": return true
            default: return false
            }
        }
    }

    /// One `key: value` pair of a mapping. Keys are scalars; their text is never interpolated.
    public struct Entry: Sendable, Equatable {
        /// The key's text.
        public var key: String
        /// Where the key is written.
        public var keyMark: Mark
        /// The node under the key.
        public var value: YAMLNode

        /// The pair `key: value`, its key written at `keyMark`.
        public init(key: String, keyMark: Mark, value: YAMLNode) {
            self.key = key
            self.keyMark = keyMark
            self.value = value
        }
    }

    /// What a node holds: a scalar, a mapping or a sequence.
    public enum Content: Sendable, Equatable {
        case scalar(Scalar)
        /// Entries in file order; keys are unique.
        case mapping([Entry])
        case sequence([YAMLNode])
    }

    /// What the node holds.
    public var content: Content
    /// Where the node starts (for a block mapping, its first key).
    public var mark: Mark

    /// A node holding `content`, written at `mark`.
    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// An empty mapping at 1:1: what an empty file holds.
    public static let emptyMapping = YAMLNode(.mapping([]), mark: Mark(line: 1, column: 1))

    /// The scalar, if the node is one.
    public var scalar: Scalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The entries, if the node is a mapping.
    public var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The elements, if the node is a sequence.
    public var elements: [YAMLNode]? {
        if case .sequence(let elements) = content { return elements }
        return nil
    }

    /// Whether the node is a null scalar (`~`, `null` or nothing at all).
    public var isNull: Bool { scalar?.isNull ?? false }

    /// The entry for `key` in a mapping.
    public func entry(_ key: String) -> Entry? {
        entries?.first { $0.key == key }
    }

    /// The value for `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        entry(key)?.value
    }

    /// How the node reads in an error message: `"eighty"`, `a mapping`, `a list`, `nothing`.
    var summary: String {
        switch content {
        case .scalar(let scalar):
            if scalar.isNull { return scalar.text.isEmpty ? "nothing" : "null" }
            return quoted(scalar.text)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

/// `text` in double quotes for an error message, shortened when long.
func quoted(_ text: String) -> String {
    let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
    var out = "\""
    for character in shown {
        switch character {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(character)
        }
    }
    return out + "\""
}
