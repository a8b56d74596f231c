import CYAML

/// Reads YAML text into a ``YAMLNode`` with libyaml's event parser.
///
/// The file must hold one document; an empty file is an empty mapping. Syntax errors carry
/// libyaml's description and position; duplicate keys and undefined aliases are all collected
/// before the parse fails.
public enum YAMLParser {
    /// Parses `text`; `file` names the source in error messages.
    public static func parse(_ text: String, file: String = "<input>") throws(ConfigErrors) -> YAMLNode {
        let result = parseCollecting(text, file: file)
        guard let root = result.root, result.errors.isEmpty else { throw ConfigErrors(result.errors) }
        return root
    }

    /// What a parse produced when the loader wants to keep going after recoverable problems.
    struct Result {
        /// Nil after a syntax error (the only error then).
        var root: YAMLNode?
        /// Syntax errors, duplicate keys, undefined aliases.
        var errors: [ConfigError]
        /// Positions of the placeholders left for undefined aliases, so they are not reported twice.
        var placeholders: Set<YAMLNode.Mark>
    }

    /// Parses `text`, keeping the first of duplicate keys and a null for an undefined alias, so the
    /// rest of the file can still be checked.
    static func parseCollecting(_ text: String, file: String) -> Result {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return Result(root: .emptyMapping, errors: [], placeholders: []) }
        var builder = YAMLTreeBuilder(file: file)
        let failure: ConfigError? = bytes.withUnsafeMutableBufferPointer { buffer in
            run(buffer, text: text, file: file, builder: &builder)
        }
        if let failure { return Result(root: nil, errors: [failure], placeholders: []) }
        return Result(root: builder.root ?? .emptyMapping, errors: builder.errors, placeholders: builder.placeholders)
    }

    /// Feeds libyaml's events to `builder`; returns the error that stopped the parse, if any.
    private static func run(
        _ input: UnsafeMutableBufferPointer<UInt8>, text: String, file: String, builder: inout YAMLTreeBuilder
    ) -> ConfigError? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return ConfigError(file: file, line: 1, column: 1, path: "", message: "libyaml could not allocate a parser")
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input.baseAddress, input.count)

        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                return syntaxError(parser, text: text, file: file)
            }
            defer { yaml_event_delete(&event) }
            let mark = YAMLNode.Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    return ConfigError(
                        file: file, mark: mark, path: .root,
                        message: "a second YAML document starts here; monitord reads one document per file, "
                            + "so remove this \"---\" and merge the two")
                }
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
                let scalar = YAMLNode.Scalar(value, style: style(data.style), tag: string(data.tag))
                builder.add(YAMLNode(.scalar(scalar), mark: mark), anchor: string(data.anchor))
            case YAML_ALIAS_EVENT:
                builder.alias(string(event.data.alias.anchor) ?? "", at: mark)
            case YAML_SEQUENCE_START_EVENT:
                builder.startSequence(at: mark, anchor: string(event.data.sequence_start.anchor))
            case YAML_MAPPING_START_EVENT:
                builder.startMapping(at: mark, anchor: string(event.data.mapping_start.anchor))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                builder.end()
            default:
                break
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    /// libyaml's problem, where it is, and what it was parsing.
    private static func syntaxError(_ parser: yaml_parser_t, text: String, file: String) -> ConfigError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var mark = YAMLNode.Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        if parser.error == YAML_READER_ERROR {
            // Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark.
            mark = position(ofByte: parser.problem_offset, in: text)
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
        }
        if character(at: mark, in: text) == "\t" {
            message += "; YAML does not allow tabs for indentation, use spaces"
        } else if problem.contains("mapping values are not allowed") {
            message += "; a value containing \": \" must be quoted"
        } else if problem.contains("did not find expected key") || problem.contains("did not find expected") {
            message += "; check the indentation and that every quote and bracket is closed"
        }
        return ConfigError(file: file, mark: mark, path: .root, message: message)
    }

    private static func position(ofByte offset: Int, in text: String) -> YAMLNode.Mark {
        var line = 1, column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return YAMLNode.Mark(line: line, column: column)
    }

    private static func character(at mark: YAMLNode.Mark, in text: String) -> Character? {
        var line = 1
        for candidate in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == mark.line {
                return candidate.dropFirst(mark.column - 1).first
            }
            line += 1
        }
        return nil
    }
}
