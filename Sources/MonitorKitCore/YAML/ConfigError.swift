/// One problem in a config file, with where it is and how to fix it:
/// `monitord.yaml:14:9: sinks.api.port: expected an integer, found "eighty"`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name as given to the loader (`<embedded>` for the compiled-in default).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The key path, `sinks.log.inputs[0]`; empty for a problem with the file as a whole.
    public var path: String
    /// What is wrong, and how to fix it.
    public var message: String

    /// The problem `message` at `line`:`column` of `file`, under the key path `path`.
    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    init(file: String, mark: YAMLNode.Mark, path: ConfigPath, message: String) {
        self.init(file: file, line: mark.line, column: mark.column, path: path.description, message: message)
    }

    /// `file:line:column: path: message`, as `validate` prints it.
    public var description: String {
        path.isEmpty
            ? "\(file):\(line):\(column): \(message)"
            : "\(file):\(line):\(column): \(path): \(message)"
    }
}

/// Every problem found in a config file, sorted by position; `description` has one per line.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// Sorted by line, then column; never empty when thrown.
    public var errors: [ConfigError]

    /// The problems, duplicates dropped, sorted by position.
    public init(_ errors: [ConfigError]) {
        var seen = Set<String>()
        // The same node reached twice through an alias reports the same problem twice; keep one.
        // Sorted by position; errors at one position keep the order they were found in.
        self.errors = errors
            .filter { seen.insert($0.description).inserted }
            .enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
    }

    /// One problem.
    public init(_ error: ConfigError) {
        self.init([error])
    }

    /// One problem a line, in file order.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

/// A key path into the config: `sinks.alerts.rules[1].for`.
struct ConfigPath: Sendable, Equatable, CustomStringConvertible {
    enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var components: [Component] = []

    static let root = ConfigPath()

    init(_ components: [Component] = []) {
        self.components = components
    }

    init(keys: String...) {
        self.components = keys.map(Component.key)
    }

    func appending(_ key: String) -> ConfigPath {
        ConfigPath(components + [.key(key)])
    }

    func appending(index: Int) -> ConfigPath {
        ConfigPath(components + [.index(index)])
    }

    /// A coding path as a config path: integer keys (from lists) become indexes.
    func appending(_ codingPath: [any CodingKey]) -> ConfigPath {
        ConfigPath(components + codingPath.map { key in
            if let key = key as? IndexKey { return .index(key.index) }
            return .key(key.stringValue)
        })
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                let shown = key.isEmpty ? "\"\"" : key
                text += text.isEmpty ? shown : ".\(shown)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// The coding key of a list element, so a path renders it as `[2]`.
struct IndexKey: CodingKey {
    let index: Int

    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }

    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}

/// A coding key by name, for `superDecoder()` and paths the decoder builds itself.
struct NameKey: CodingKey {
    let stringValue: String

    init(_ name: String) { self.stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    var intValue: Int? { nil }
}
