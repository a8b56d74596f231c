/// Decodes any `Decodable` type from a ``YAMLNode``, with config-file errors: each names the file,
/// line, column and key path, and says how to fix the problem.
///
/// Beyond the usual `Decoder` work it reads `Duration` from `250ms`/`5s`/`10m`/`1h` (a bare number
/// is seconds), accepts numbers and booleans written as quoted strings, lists the valid values of a
/// string enum, and rejects every key the type never asked about (`unknown field "prot" (did you mean
/// "port"?)`).
public struct YAMLDecoder: Sendable {
    /// A decoder; it keeps no state between decodes.
    public init() {}

    /// Decodes `type` from `node`. Keys in `allowedKeys` are accepted in the top mapping without the
    /// type asking for them (they are the component keys the loader decodes separately).
    public func decode<T: Decodable>(
        _ type: T.Type, from node: YAMLNode, file: String, allowedKeys: Set<String> = []
    ) throws(ConfigErrors) -> T {
        let (value, errors) = decodeCollecting(type, from: node, file: file, path: .root, allowedKeys: allowedKeys)
        guard let value, errors.isEmpty else { throw ConfigErrors(errors) }
        return value
    }

    /// Parses `text`, interpolates `${VAR}` references from `environment`, and decodes `type`.
    public func decode<T: Decodable>(
        _ type: T.Type, from text: String, file: String, environment: [String: String]
    ) throws(ConfigErrors) -> T {
        let parsed = YAMLParser.parseCollecting(text, file: file)
        guard let root = parsed.root else { throw ConfigErrors(parsed.errors) }
        let interpolated = EnvironmentInterpolation(environment: environment).interpolate(root, file: file)
        let (value, errors) = decodeCollecting(
            type, from: interpolated.node, file: file, path: .root, failed: interpolated.failed.union(parsed.placeholders))
        let all = parsed.errors + interpolated.errors + errors
        guard let value, all.isEmpty else { throw ConfigErrors(all) }
        return value
    }

    /// Decodes and returns every problem found rather than throwing: the type error that stopped the
    /// decode (if any) plus every unknown key. `path` prefixes the paths in messages; `failed` are
    /// scalars whose interpolation already failed (reported by the caller, skipped here).
    func decodeCollecting<T: Decodable>(
        _ type: T.Type, from node: YAMLNode, file: String, path: ConfigPath,
        allowedKeys: Set<String> = [], failed: Set<YAMLNode.Mark> = []
    ) -> (T?, [ConfigError]) {
        let state = YAMLDecodingState(failed: failed)
        let decoder = YAMLNodeDecoder(node: node, codingPath: [], state: state)
        var value: T?
        var errors: [ConfigError] = []
        do {
            value = try decoder.unbox(T.self)
        } catch is AlreadyReported {
            // The scalar's interpolation failed; the caller already has that error.
        } catch {
            errors.append(Self.configError(from: error, root: node, file: file, base: path))
        }
        errors += state.unknownKeys(root: node, allowedKeys: allowedKeys, succeeded: value != nil, file: file, base: path)
        return (value, errors)
    }

    /// A `DecodingError` (ours, or thrown by a config's own `init(from:)`) placed at its node.
    static func configError(from error: any Error, root: YAMLNode, file: String, base: ConfigPath) -> ConfigError {
        guard let error = error as? DecodingError else {
            return ConfigError(file: file, mark: root.mark, path: base, message: "\(error)")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let mapping = locate(context.codingPath, in: root)
            return ConfigError(
                file: file, mark: mapping.mark, path: base.appending(context.codingPath + [key]),
                message: "missing required field \"\(key.stringValue)\"")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return ConfigError(
                file: file, mark: locate(context.codingPath, in: root).mark,
                path: base.appending(context.codingPath), message: context.debugDescription)
        @unknown default:
            return ConfigError(file: file, mark: root.mark, path: base, message: "\(error)")
        }
    }

    /// The node a coding path leads to, or the deepest node on the way that exists (a key that is
    /// absent places the error at its mapping).
    static func locate(_ codingPath: [any CodingKey], in root: YAMLNode) -> YAMLNode {
        var node = root
        for key in codingPath {
            if let key = key as? IndexKey {
                guard let elements = node.elements, elements.indices.contains(key.index) else { break }
                node = elements[key.index]
            } else {
                guard let value = node[key.stringValue] else { break }
                node = value
            }
        }
        return node
    }
}
