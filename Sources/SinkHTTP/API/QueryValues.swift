import Hummingbird
import HummingbirdCore

/// Typed reads of query parameters that answer 400 with the parameter's name on bad input.
struct QueryValues {
    private let parameters: FlatDictionary<Substring, Substring>

    init(_ request: Request) {
        parameters = request.uri.query == nil ? FlatDictionary() : request.uri.queryParameters
    }

    func string(_ name: Substring) -> Substring? {
        parameters[name]
    }

    func bool(_ name: Substring) throws(APIError) -> Bool? {
        guard let text = parameters[name] else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .badRequest("invalid_\(name)", "\(name) must be true or false, found \"\(text)\"")
        }
    }

    func int(_ name: Substring, minimum: Int = 0) throws(APIError) -> Int? {
        guard let text = parameters[name] else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw .badRequest("invalid_\(name)", "\(name) must be a whole number of at least \(minimum), found \"\(text)\"")
        }
        return value
    }

    func double(_ name: Substring, what: String) throws(APIError) -> Double? {
        guard let text = parameters[name] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw .badRequest("invalid_\(name)", "\(name) must be \(what), found \"\(text)\"")
        }
        return value
    }

    /// A comma-separated list (`?fields=a,b`), empty items dropped.
    func list(_ name: Substring) -> [String] {
        guard let text = parameters[name] else { return [] }
        return text.split(separator: ",").map { String($0) }.filter { !$0.isEmpty }
    }
}
