#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// A notifier's TLS: the receiver's CA and a client certificate, from `ca_file`, `cert_file`
/// and `key_file`.
enum NotifierTLS {
    enum Content { case certificates, key }

    /// Why `file` cannot serve as `content`, or `nil` when it parses.
    static func problem(with file: String, as content: Content) -> String? {
        if access(file, R_OK) != 0 {
            return "\(file) cannot be read: \(errno == ENOENT ? "no such file" : String(cString: strerror(errno)).lowercased())"
        }
        do {
            switch content {
            case .certificates:
                if try NIOSSLCertificate.fromPEMFile(file).isEmpty { return "\(file) holds no PEM certificate" }
            case .key:
                _ = try NIOSSLPrivateKey(file: file, format: .pem)
            }
            return nil
        } catch {
            return "\(file) cannot be used (\(error)): it must be a readable, unencrypted PEM \(content == .key ? "private key" : "certificate")"
        }
    }

    /// A failed delivery in words an operator can act on, rather than the client library's text.
    static func describe(_ error: any Error, https: Bool) -> String {
        let text = "\(error)"
        if text.contains("Connection refused") { return "connection refused (is the receiver running at this address?)" }
        guard https else { return text }
        if text.contains("CERTIFICATE_EXPIRED") { return "TLS: a certificate has expired (the receiver's, or cert_file)" }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the receiver's certificate is not signed by a CA monitord trusts, or not for this host (set ca_file)"
        }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("remoteConnectionClosed") || text.contains("BAD_CERTIFICATE") || text.contains("UNKNOWN_CA") {
            return "TLS: the receiver closed the connection; if it asks for client certificates, set cert_file and key_file to one its CA signed (\(text))"
        }
        return text
    }

    /// Why the key does not go with the certificate, or `nil` when it does.
    static func mismatch(certFile: String, keyFile: String) -> String? {
        guard let chain = try? NIOSSLCertificate.fromPEMFile(certFile), let key = try? NIOSSLPrivateKey(file: keyFile, format: .pem) else { return nil }
        let pair = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return (try? NIOSSLContext(configuration: pair)) == nil ? "\(keyFile) is not the private key of the certificate in \(certFile)" : nil
    }

    /// The request's TLS when the notifier names files; `nil` leaves the client's default
    /// (the system's trust store, no client certificate).
    static func configuration(_ config: NotifierConfig) -> TLSConfiguration? {
        guard config.caFile != nil || config.certFile != nil else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = config.caFile { tls.trustRoots = .file(caFile) }
        if let certFile = config.certFile, let keyFile = config.keyFile {
            tls.certificateChain = ((try? NIOSSLCertificate.fromPEMFile(certFile)) ?? []).map { .certificate($0) }
            // PEM whatever the name ends in: NIOSSL would read a `.key` file as DER.
            tls.privateKey = (try? NIOSSLPrivateKey(file: keyFile, format: .pem)).map { .privateKey($0) }
        }
        return tls
    }
}
