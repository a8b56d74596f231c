/// The Content-Security-Policy of every answer but the dashboard page: the document is sandboxed
/// (no script, an opaque origin that cannot read the dashboard's storage) and loads nothing.
enum APIPolicy {
    static let contentSecurityPolicy = "sandbox; default-src 'none'; frame-ancestors 'none'"
}
