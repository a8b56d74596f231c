import NIOSSL
import PEMFiles

/// A notifier's TLS: the receiver's CA and a client certificate, from `ca_file`, `cert_file`
/// and `key_file`.
enum NotifierTLS {
    enum Content { case certificates, key }

    /// Why `file` cannot serve as `content`, or `nil` when it parses.
    static func problem(with file: String, as content: Content) -> String? {
        do {
            switch content {
            case .certificates: _ = try PEMFiles.certificates(at: file)
            case .key: _ = try PEMFiles.privateKey(at: file)
            }
            return nil
        } catch {
            return error.message
        }
    }

    /// A failed delivery in words an operator can act on, rather than the client library's text.
    static func describe(_ error: any Error, https: Bool) -> String {
        let text = "\(error)"
        if text.contains("Connection refused") { return "connection refused (is the receiver running at this address?)" }
        guard https else { return text }
        // The client reports a receiver that hangs up in the handshake as a closed connection.
        switch TLSFailure.of(text) ?? (text.contains("remoteConnectionClosed") ? .certificateWanted : nil) {
        case .expired: return "TLS: a certificate has expired (the receiver's, or cert_file)"
        case .untrusted: return "TLS: the receiver's certificate is not signed by a CA monitord trusts, or not for this host (set ca_file)"
        case .certificateWanted:
            return "TLS: the receiver closed the connection; if it asks for client certificates, set cert_file and key_file to one its CA signed (\(text))"
        case .notTLS, .other, nil: return text
        }
    }

    /// Why the key does not go with the certificate, or `nil` when it does (or either does not
    /// load, which ``problem(with:as:)`` reports).
    static func mismatch(certFile: String, keyFile: String) -> String? {
        guard let chain = try? PEMFiles.certificates(at: certFile), let key = try? PEMFiles.privateKey(at: keyFile) else { return nil }
        return PEMFiles.isPair(chain, key) ? nil : "\(keyFile) is not the private key of the certificate in \(certFile)"
    }

    /// The request's TLS when the notifier names files; `nil` leaves the client's default
    /// (the system's trust store, no client certificate).
    static func configuration(_ config: NotifierConfig) -> TLSConfiguration? {
        guard config.caFile != nil || config.certFile != nil else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = config.caFile { tls.trustRoots = .file(caFile) }
        if let certFile = config.certFile, let keyFile = config.keyFile {
            tls.certificateChain = ((try? PEMFiles.certificates(at: certFile)) ?? []).map { .certificate($0) }
            tls.privateKey = (try? PEMFiles.privateKey(at: keyFile)).map { .privateKey($0) }
        }
        return tls
    }
}
