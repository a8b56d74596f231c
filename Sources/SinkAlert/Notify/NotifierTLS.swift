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
