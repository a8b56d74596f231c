import Hummingbird
import MonitorKitCore

/// An error answer of the API: `{"error": {"code", "message"}}` with its HTTP status.
struct APIError: Error, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    /// A stable, machine-readable name (`not_found`, `invalid_ttl`, ...).
    var code: String
    /// One sentence a person can act on.
    var message: String
    var headers: HTTPFields = [:]

    var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }

    static func notFound(_ code: String, _ message: String) -> APIError {
        APIError(status: .notFound, code: code, message: message)
    }

    static func unknownSource(_ id: String, known: [String]) -> APIError {
        let list = known.isEmpty ? "none are configured" : "known sources: " + known.joined(separator: ", ")
        return .notFound("unknown_source", "no source named \"\(id)\" (\(list))")
    }

    static func unavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "source_unavailable", message: message)
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, code: "payload_too_large",
            message: "the request body is larger than max_body_size (\(limit) bytes)")
    }

    /// The JSON response for this error.
    var response: Response {
        var writer = JSONWriter(capacity: 96 + message.utf8.count)
        writer.write(["error": .object(["code": .string(code), "message": .string(message)])] as Fields)
        var response = JSONResponse.make(writer, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension APIError {
    /// Maps any error a route or the router threw to the API's error shape.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as StoreError:
            let status: HTTPResponse.Status =
                switch error.code {
                case .invalidKey, .invalidArgument: .badRequest
                case .tooLarge: .contentTooLarge
                case .unavailable: .serviceUnavailable
                }
            self.init(status: status, code: error.code.rawValue, message: error.message)
        case let error as SourceActionError:
            switch error {
            case .unknownSource: self = .notFound("unknown_source", error.description)
            case .unknownAction: self = .notFound("unknown_action", error.description)
            case .invalidArgument(let message): self = .badRequest("invalid_argument", message)
            }
        case let error as HTTPError:
            self.init(status: error.status, code: Self.code(for: error.status), message: error.body ?? error.status.reasonPhrase)
            headers = error.headers
        default:
            self.init(status: .internalServerError, code: "internal_error", message: String(describing: error))
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 408: "request_timeout"
        case 413: "payload_too_large"
        case 503: "unavailable"
        default: "http_\(status.code)"
        }
    }
}
