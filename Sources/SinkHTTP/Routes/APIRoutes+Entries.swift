import HTTPTypes
import Hummingbird
import MonitorKitCore
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
                let size = try await storeBody(of: request, key: key, in: store, ttl: ttl, metadata: metadata, context: context)
                return JSONResponse.make([
                    "source": .string(info.id), "key": .string(key), "size": .int(size),
                    "ttl": ttl.map { .double($0.seconds) } ?? .null,
                ])
            }

            router.get(path) { request, context in
                let (_, store, key) = try entry(request, context)
                guard let stored = try await store.get(key) else {
                    throw APIError.notFound("not_found", "no entry for key \"\(key)\" (absent or expired)")
                }
                return Self.response(for: stored, to: request, withBody: true, pacedOn: context.eventLoop, sender: context.fileSender)
            }

            // The headers a GET would answer, without the value: a player or a download manager
            // learns the length, type and tag first.
            router.head(path) { request, context in
                let (_, store, key) = try entry(request, context)
                guard let stored = try await store.get(key) else {
                    throw APIError.notFound("not_found", "no entry for key \"\(key)\" (absent or expired)")
                }
                return Self.response(for: stored, to: request, withBody: false, pacedOn: context.eventLoop, sender: context.fileSender)
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

    /// `X-Meta-<name>: <value>` headers, names lowercased, and the `Content-Type` (kept as the
    /// `content-type` metadata, which `X-Meta-Content-Type` sets too and then wins).
    private static func metadata(of request: Request) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            guard name.hasPrefix("x-meta-"), name.count > 7 else { continue }
            metadata[String(name.dropFirst(7))] = field.value
        }
        if metadata["content-type"] == nil, let type = request.headers[.contentType], !type.isEmpty {
            metadata["content-type"] = type
        }
        return metadata
    }

    /// Bodies up to this length (by `Content-Length`) are collected and stored in one write;
    /// longer ones, and those of unknown length, stream to the store as they arrive.
    static let collectedBodyBytes = 256 << 10

    /// Stores the request body under `key`, refusing it with 413 as soon as it passes
    /// `max_body_size`; returns its length. A large body is never held whole: the store writes
    /// it as it arrives and keeps nothing of a body that ends early or fails.
    private func storeBody(
        of request: Request, key: String, in store: any KeyValueStore, ttl: Duration?, metadata: [String: String], context: APIRequestContext
    ) async throws -> Int {
        let limit = config.maxBodySize
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit {
            throw APIError.tooLarge(limit: limit)
        }
        // Everything the store would refuse is refused now, before the client is invited to
        // send the body (a key over 1 KiB, a value that can never fit max_disk_size).
        try store.admit(key, length: declared, ttl: ttl, metadata: metadata)
        await context.sendContinueIfExpected(request)
        if let declared, declared <= Self.collectedBodyBytes {
            let value: ByteBuffer
            do {
                value = try await request.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw APIError.tooLarge(limit: limit)
            }
            try await store.set(key, value: value, ttl: ttl, metadata: metadata)
            return value.readableBytes
        }
        return try await store.set(
            key, chunks: LimitedBody(base: request.body, limit: limit, declared: declared), limit: limit, ttl: ttl, metadata: metadata)
    }

    /// The answer to a GET (or, without the bytes, a HEAD) of `stored`: 304 when the request's
    /// `If-None-Match` or `If-Modified-Since` says the client has this version; 206 with one
    /// `Range` of it (416 when the range is past the end); else 200 with all of it. A value in
    /// memory is sent from the store's own buffer; a streamed one a chunk at a time.
    ///
    /// Between chunks the stream waits for `eventLoop`, the connection's, to have taken the last
    /// one: the writer it hands chunks to learns that the socket is full only once the event loop
    /// has run, and a reader that ran ahead of a busy event loop would pile chunks up in memory
    /// (32 fast readers of one 64 MiB file reached 690 MB without this; see docs/http-api.md).
    ///
    /// A value that lies in a file goes with `sendfile` through `sender` where there is one
    /// (plain-text connections); else, as on TLS, the file is read a chunk at a time.
    static func response(
        for stored: StoredValue, to request: Request, withBody: Bool, pacedOn eventLoop: (any EventLoop)?, sender: FileSender? = nil
    ) -> Response {
        var headers = headers(for: stored)
        if notModified(stored, request) {
            headers[.contentType] = nil
            headers[.contentDisposition] = nil
            return Response(status: .notModified, headers: headers, body: ResponseBody())
        }
        let length = stored.length
        var range = ByteRange.of(request.headers[.range], length: length)
        if range != .whole, let condition = request.headers[.ifRange], !rangeCondition(condition, holdsFor: stored) {
            range = .whole
        }
        let status: HTTPResponse.Status
        let part: Range<Int>
        switch range {
        case .whole:
            status = .ok
            part = 0..<length
        case .part(let bytes):
            status = .partialContent
            part = bytes
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(length)"
        case .unsatisfiable:
            var answer = APIError(
                status: .rangeNotSatisfiable, code: "range_not_satisfiable",
                message: "the range \"\(request.headers[.range] ?? "")\" is outside the \(length)-byte value").response
            answer.headers[.contentRange] = "bytes */\(length)"
            answer.headers[.acceptRanges] = "bytes"
            return answer
        }
        headers[.contentLength] = String(part.count)
        guard withBody else { return Response(status: status, headers: headers, body: ResponseBody()) }
        switch stored.body {
        case .buffer(let buffer):
            let slice = buffer.getSlice(at: buffer.readerIndex + part.lowerBound, length: part.count) ?? ByteBuffer()
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: slice))
        case .stream(let stream):
            return Response(status: status, headers: headers, body: ResponseBody(contentLength: part.count) { writer in
                // Asked for last: a region is a descriptor the sender must close.
                if let sender, !part.isEmpty, let region = stream.fileRegion(), try await sender.send(region, range: part) {
                    try await writer.finish(nil)
                    return
                }
                var offset = part.lowerBound
                while offset < part.upperBound {
                    let chunk = try await stream.read(from: offset, maxLength: min(streamChunkBytes, part.upperBound - offset))
                    guard chunk.readableBytes > 0 else { throw APIError.unavailable("the entry's file ended early") }
                    offset += chunk.readableBytes
                    try await writer.write(chunk)
                    // The write is queued on the event loop before this task: once it has run,
                    // the writer knows whether the socket can take more, and waits if not.
                    try await eventLoop?.submit {}.get()
                }
                try await writer.finish(nil)
            })
        }
    }

    /// The bytes a streamed answer reads and sends at a time.
    static let streamChunkBytes = 512 << 10

    /// The headers of every answer about `stored` (200, 206, 304, HEAD).
    private static func headers(for stored: StoredValue) -> HTTPFields {
        let contentType = stored.metadata["content-type"] ?? "application/octet-stream"
        var headers: HTTPFields = [.contentType: contentType, .xCache: stored.tier ?? "hit", .acceptRanges: "bytes"]
        // A type a browser would run (HTML, SVG, script) is a download, never a page on this origin.
        if StoredContentType.isActive(contentType) {
            headers[.contentDisposition] = "attachment"
        }
        if let tag = stored.entityTag {
            headers[.eTag] = "\"" + tag + "\""
        }
        headers[.lastModified] = HTTPDateHeader.format(time_t(stored.createdAt))
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
        return headers
    }

    /// RFC 9110 §13.2.2: `If-None-Match` decides when present (a match is 304); otherwise
    /// `If-Modified-Since` at or after the entry's time is 304.
    private static func notModified(_ stored: StoredValue, _ request: Request) -> Bool {
        if let noneMatch = request.headers[values: .ifNoneMatch].joined(separator: ",") as String?, !noneMatch.isEmpty {
            guard let tag = stored.entityTag else { return noneMatch.trimmedSpaces == "*" }
            return EntityTags.noneMatchHits(noneMatch, tag: tag)
        }
        guard let since = request.headers[.ifModifiedSince].flatMap(HTTPDateHeader.parse) else { return false }
        return time_t(stored.createdAt) <= since
    }

    /// Whether an `If-Range` entity tag names the current version, so the range may be served.
    /// A date is never enough (RFC 9110 §13.1.5 wants a strong validator, and an entry can be
    /// replaced twice within the second its `Last-Modified` names): the whole value is sent.
    private static func rangeCondition(_ condition: String, holdsFor stored: StoredValue) -> Bool {
        guard let tag = stored.entityTag else { return false }
        return EntityTags.rangeTagHolds(condition, tag: tag)
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

/// A request body that fails with 413 once it passes `limit` bytes, and with 400 when it ends
/// before its `Content-Length`: a store streaming it then keeps nothing.
struct LimitedBody<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let limit: Int
    let declared: Int?

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int
        let declared: Int?
        var total = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else {
                if let declared, total != declared {
                    throw APIError.badRequest("incomplete_body", "the body ended after \(total) of its \(declared) bytes")
                }
                return nil
            }
            total += chunk.readableBytes
            guard total <= limit else { throw APIError.tooLarge(limit: limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, declared: declared)
    }
}
