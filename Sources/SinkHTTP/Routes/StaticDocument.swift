import Hummingbird
import MonitorKitCore

/// A file compiled into the binary (`Resources/`), served with a strong ETag so browsers
/// revalidate cheaply and always see a new build's version.
struct StaticDocument: Sendable {
    let bytes: ByteBuffer
    let contentType: String
    let etag: String
    /// Sent with every answer, 304 included (the dashboard's Content-Security-Policy).
    let extraHeaders: HTTPFields

    init(_ bytes: [UInt8], contentType: String, extraHeaders: HTTPFields = [:]) {
        self.bytes = ByteBuffer(bytes: bytes)
        self.contentType = contentType
        self.extraHeaders = extraHeaders
        // A content hash is all a strong ETag needs, and it needs no crypto.
        var hash = FNV1a()
        hash.combine(bytes)
        self.etag = "\"" + hash.hex + "\""
    }

    func response(to request: Request) -> Response {
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "no-cache"]
        headers.append(contentsOf: extraHeaders)
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmedSpaces == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
    }
}

/// The files the HTTP sink serves from its resources.
enum BundledDocuments {
    /// The dashboard page, with a policy that lets only its own inline script and style run.
    static let dashboard = StaticDocument(
        PackageResources.index_html, contentType: "text/html; charset=utf-8",
        extraHeaders: [.contentSecurityPolicy: DashboardPolicy.contentSecurityPolicy(for: PackageResources.index_html)])
    /// The OpenAPI 3.1 description of this API.
    static let openAPI = StaticDocument(PackageResources.openapi_yaml, contentType: "application/yaml; charset=utf-8")
    /// Extra dashboard files under `/assets/<name>`; empty while the dashboard is one self-contained page.
    static let assets: [String: StaticDocument] = [:]
}
