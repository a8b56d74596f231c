#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// The TLS files a client of monitord's API may need: the CA that signed the server's
/// certificate (else the system's trust store), and a certificate and key of its own for a
/// server with `client_ca_file` (mutual TLS). `monitord top` and `monitord reload` take them as
/// `--cacert`, `--cert` and `--key`, like curl.
public struct ClientTLSFiles: Sendable, Equatable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    /// Throws when the flags cannot work: a certificate without its key (or the reverse), a
    /// file that cannot be read.
    public func validate() throws(TopOptionError) {
        if (certFile == nil) != (keyFile == nil) {
            throw TopOptionError(certFile == nil ? "--key needs --cert (the certificate of that key)" : "--cert needs --key (the private key of that certificate)")
        }
        for (flag, file) in [("--cacert", caFile), ("--cert", certFile), ("--key", keyFile)] {
            guard let file else { continue }
            if access(file, R_OK) != 0 {
                throw TopOptionError("\(flag) \(file) cannot be read: \(String(cString: strerror(errno)).lowercased())")
            }
        }
    }

    /// The client configuration: the system's roots unless `--cacert`, full verification of the
    /// server's name, and the client's own certificate when given.
    public func configuration() throws(TopOptionError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            guard let roots = try? NIOSSLCertificate.fromPEMFile(caFile), !roots.isEmpty else {
                throw TopOptionError("--cacert \(caFile) holds no PEM certificate")
            }
            configuration.trustRoots = .certificates(roots)
        }
        if let certFile, let keyFile {
            guard let chain = try? NIOSSLCertificate.fromPEMFile(certFile), !chain.isEmpty else {
                throw TopOptionError("--cert \(certFile) holds no PEM certificate")
            }
            // PEM whatever the name ends in: NIOSSL would read a `.key` file as DER.
            guard let key = try? NIOSSLPrivateKey(file: keyFile, format: .pem) else {
                throw TopOptionError("--key \(keyFile) is not an unencrypted PEM private key")
            }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
            var check = TLSConfiguration.makeServerConfiguration(certificateChain: configuration.certificateChain, privateKey: .privateKey(key))
            check.minimumTLSVersion = .tlsv12
            guard (try? NIOSSLContext(configuration: check)) != nil else {
                throw TopOptionError("--key \(keyFile) is not the private key of the certificate in --cert \(certFile)")
            }
        }
        return configuration
    }

    /// A TLS failure from BoringSSL's error text, as what to do about it.
    public static func explain(_ text: String) -> String? {
        if text.contains("CERTIFICATE_EXPIRED") {
            return "TLS: a certificate has expired (the server's, or the one given with --cert); renew it"
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the server's certificate is not signed by a CA this client trusts, or not for this address (name the CA with --cacert FILE)"
        }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE_ON_CLIENT_HELLO") || text.contains("TLSV1_ALERT_UNKNOWN_CA")
            || text.contains("SSLV3_ALERT_BAD_CERTIFICATE") {
            return "TLS: the server wants a client certificate its client_ca_file signed (give one with --cert FILE --key FILE)"
        }
        if text.contains("WRONG_VERSION_NUMBER") {
            return "TLS: the server does not speak TLS on this port (use an http:// URL)"
        }
        if text.contains("handshakeFailed") || text.contains("BoringSSL") { return "TLS handshake failed: \(text)" }
        return nil
    }
}
