/// `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}` and `$$` in
/// scalar values, against an injected environment (never the process's own inside tests).
struct EnvironmentInterpolation {
    /// Why one scalar could not be interpolated; the text is the user-facing message.
    struct Failure: Error, Equatable {
        var message: String
    }

    let environment: [String: String]

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// `text` with every reference replaced; a lone `$` not followed by `{` or `$` stays as it is.
    func interpolate(_ text: String) throws(Failure) -> String {
        guard text.contains("$") else { return text }
        let characters = Array(text)
        var output = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                output.append(character)
                index += 1
                continue
            }
            switch characters[index + 1] {
            case "$":
                output.append("$")
                index += 2
            case "{":
                guard let close = Self.matchingBrace(characters, from: index + 2) else {
                    throw Failure(message: "\"${\" is not closed in \(quoted(text)); close it with \"}\", or write \"$$\" for a literal \"$\"")
                }
                output += try resolve(String(characters[(index + 2)..<close]))
                index = close + 1
            default:
                output.append(character)
                index += 1
            }
        }
        return output
    }

    /// The index of the `}` closing a `${` whose body starts at `start`, counting nested `${...}`.
    private static func matchingBrace(_ characters: [Character], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < characters.count {
            if characters[index] == "$", index + 1 < characters.count, characters[index + 1] == "{" {
                depth += 1
                index += 2
                continue
            }
            if characters[index] == "}" {
                if depth == 0 { return index }
                depth -= 1
            }
            index += 1
        }
        return nil
    }

    /// One `${...}` body: a name, then optionally `:-`, `-`, `:?` or `?` and a word (itself interpolated).
    private func resolve(_ body: String) throws(Failure) -> String {
        let nameEnd = body.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? body.endIndex
        let name = String(body[..<nameEnd])
        guard let first = name.first, !first.isNumber else {
            throw Failure(message: "\"${\(body)}\" does not start with a variable name; names use letters, digits and \"_\" (write \"$$\" for a literal \"$\")")
        }
        let rest = body[nameEnd...]
        let value = environment[name]
        if rest.isEmpty {
            guard let value else {
                throw Failure(message: "environment variable \(name) is not set; set it, or give a default with ${\(name):-value}")
            }
            return value
        }
        for (op, emptyCounts) in [(":-", true), ("-", false), (":?", true), ("?", false)] where rest.hasPrefix(op) {
            let word = String(rest.dropFirst(op.count))
            let missing = value == nil || (emptyCounts && value?.isEmpty == true)
            if !missing, let value { return value }
            if op.hasSuffix("-") { return try interpolate(word) }
            if word.isEmpty {
                throw Failure(message: "environment variable \(name) \(value == nil ? "is not set" : "is empty"); set it")
            }
            throw Failure(message: "environment variable \(name) is required: \(try interpolate(word))")
        }
        throw Failure(message: "\"${\(body)}\" is not a valid reference; write ${\(name)}, ${\(name):-default} or ${\(name):?message}")
    }
}

extension EnvironmentInterpolation {
    /// The result of interpolating a whole tree: the new tree, the errors, and the positions of the
    /// scalars that failed (the decoder skips those, since they are already reported).
    struct TreeResult {
        var node: YAMLNode
        var errors: [ConfigError]
        var failed: Set<YAMLNode.Mark>
    }

    /// Interpolates every scalar value under `node` (keys stay as written), collecting every failure.
    func interpolate(_ node: YAMLNode, file: String, path: ConfigPath = .root) -> TreeResult {
        var result = TreeResult(node: node, errors: [], failed: [])
        result.node = walk(node, file: file, path: path, into: &result)
        return result
    }

    private func walk(_ node: YAMLNode, file: String, path: ConfigPath, into result: inout TreeResult) -> YAMLNode {
        var node = node
        switch node.content {
        case .scalar(var scalar):
            guard scalar.text.contains("$") else { return node }
            do {
                scalar.text = try interpolate(scalar.text)
                node.content = .scalar(scalar)
            } catch {
                result.errors.append(ConfigError(file: file, mark: node.mark, path: path, message: error.message))
                result.failed.insert(node.mark)
            }
        case .mapping(var entries):
            for index in entries.indices {
                entries[index].value = walk(entries[index].value, file: file, path: path.appending(entries[index].key), into: &result)
            }
            node.content = .mapping(entries)
        case .sequence(var elements):
            for index in elements.indices {
                elements[index] = walk(elements[index], file: file, path: path.appending(index: index), into: &result)
            }
            node.content = .sequence(elements)
        }
        return node
    }
}
