import HTTPTypes
import Hummingbird
import MonitorKitCore
import NIOCore

/// The data plane: any HTTP client can use a store (the cache) as `PUT`, `GET`, `DELETE` of raw
/// bytes under `/api/{source}/entries/{key}`.
extension APIRoutes {
    func addEntryRoutes(to router: Router<APIRequestContext>) {
        // `**` so keys with unescaped slashes route too; the key is read from the raw path (EntryPath).
        // `/entries/` with nothing after it routes too, so an empty key is refused as one (400)
        // rather than left unrouted (404).
        for path: RouterPath in ["/api/{source}/entries/**", "/api/{source}/entries"] {
            router.put(path) { request, context in
                let (info, store, key) = try entry(request, context)
                let ttl = try requestedTTL(request)
                let metadata = Self.metadata(of: request)
                let value = try await body(of: request)
                try await store.set(key, value: value, ttl: ttl, metadata: metadata)
                return JSONResponse.make([
                    "source": .string(info.id), "key": .string(key), "size": .int(value.count),
                    "ttl": ttl.map { .double($0.seconds) } ?? .null,
                ])
            }

            router.get(path) { request, context in
                let (_, store, key) = try entry(request, context)
                guard let stored = try await store.get(key) else {
                    throw APIError.notFound("not_found", "no entry for key \"\(key)\" (absent or expired)")
                }
                return Self.response(for: stored)
            }

            router.delete(path) { request, context in
                let (info, store, key) = try entry(request, context)
                guard try await store.delete(key) else {
                    throw APIError.notFound("not_found", "no entry for key \"\(key)\"")
                }
                return JSONResponse.make(["source": .string(info.id), "key": .string(key), "deleted": true])
            }
        }
    }

    /// The source, its store and the decoded key of an entry request.
    private func entry(_ request: Request, _ context: APIRequestContext) throws(APIError) -> (SourceInfo, any KeyValueStore, String) {
        // The key comes from the raw path, not the router's segments (see EntryPath), checked
        // before the source so a path that means something else never reaches a store.
        let key: String
        do {
            key = try EntryPath.parse(request.uri.path.utf8).key
        } catch {
            throw .badRequest(error.code, error.message)
        }
        let info = try source(context)
        guard let store = runtime.store(info.id) else {
            let stores = runtime.sources.filter(\.isStore).map(\.id)
            throw APIError.notFound(
                "not_a_store",
                "source \"\(info.id)\" (type \(info.type)) does not store entries; "
                    + (stores.isEmpty ? "no source here does" : "sources that do: " + stores.joined(separator: ", ")))
        }
        return (info, store, key)
    }

    /// `?ttl=<seconds>`, else `Cache-Control: max-age=<seconds>`, else the store's default (`nil`).
    private func requestedTTL(_ request: Request) throws(APIError) -> Duration? {
        let seconds: Double
        if let ttl = try QueryValues(request).double("ttl", what: "a positive number of seconds") {
            seconds = ttl
        } else if let cacheControl = request.headers[.cacheControl], let maxAge = try Self.maxAge(cacheControl) {
            seconds = maxAge
        } else {
            return nil
        }
        guard seconds > 0, seconds < 1e12 else {
            throw .badRequest("invalid_ttl", "ttl must be a positive number of seconds, found \(seconds)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private static func maxAge(_ cacheControl: String) throws(APIError) -> Double? {
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmedSpaces.lowercased() == "max-age" else { continue }
            let text = parts[1].trimmedSpaces
            guard let value = Int(text) else {
                throw .badRequest("invalid_ttl", "Cache-Control max-age must be a whole number of seconds, found \"\(text)\"")
            }
            return Double(value)
        }
        return nil
    }

    /// `X-Meta-<name>: <value>` headers, names lowercased.
    private static func metadata(of request: Request) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            guard name.hasPrefix("x-meta-"), name.count > 7 else { continue }
            metadata[String(name.dropFirst(7))] = field.value
        }
        return metadata
    }

    /// The request body, refused with 413 as soon as it passes `max_body_size`.
    private func body(of request: Request) async throws -> [UInt8] {
        let limit = config.maxBodySize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit: limit)
        }
    }

    private static func response(for stored: StoredValue) -> Response {
        let contentType = stored.metadata["content-type"] ?? "application/octet-stream"
        var headers: HTTPFields = [.contentType: contentType, .xCache: stored.tier ?? "hit"]
        // A type a browser would run (HTML, SVG, script) is a download, never a page on this origin.
        if StoredContentType.isActive(contentType) {
            headers[.contentDisposition] = "attachment"
        }
        for (name, value) in stored.metadata.sorted(by: { $0.key < $1.key }) {
            guard let fieldName = HTTPField.Name("X-Meta-" + name) else { continue }
            headers.append(HTTPField(name: fieldName, value: value))
        }
        if let expiresAt = stored.expiresAt {
            let remaining = max(0, Int((expiresAt - Event.now()).rounded(.up)))
            headers[.cacheControl] = "max-age=\(remaining)"
        } else {
            headers[.cacheControl] = "no-cache"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.bytes)))
    }
}

extension StringProtocol {
    var trimmedSpaces: Substring {
        let view = self[...]
        guard let first = view.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = view.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return Substring(view[first...last])
    }
}
