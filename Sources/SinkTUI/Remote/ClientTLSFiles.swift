#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL
import PEMFiles

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
        func read<T>(_ flag: String, _ load: () throws(PEMFiles.Problem) -> T) throws(TopOptionError) -> T {
            do { return try load() } catch { throw TopOptionError("\(flag) \(error.message)") }
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            configuration.trustRoots = .certificates(try read("--cacert") { () throws(PEMFiles.Problem) in try PEMFiles.certificates(at: caFile) })
        }
        if let certFile, let keyFile {
            let chain = try read("--cert") { () throws(PEMFiles.Problem) in try PEMFiles.certificates(at: certFile) }
            let key = try read("--key") { () throws(PEMFiles.Problem) in try PEMFiles.privateKey(at: keyFile) }
            guard PEMFiles.isPair(chain, key) else {
                throw TopOptionError("--key \(keyFile) is not the private key of the certificate in --cert \(certFile)")
            }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        }
        return configuration
    }

    /// A TLS failure from BoringSSL's error text, as what to do about it.
    public static func explain(_ text: String) -> String? {
        switch TLSFailure.of(text) {
        case .expired: "TLS: a certificate has expired (the server's, or the one given with --cert); renew it"
        case .untrusted: "TLS: the server's certificate is not signed by a CA this client trusts, or not for this address (name the CA with --cacert FILE)"
        case .certificateWanted: "TLS: the server wants a client certificate its client_ca_file signed (give one with --cert FILE --key FILE)"
        case .notTLS: "TLS: the server does not speak TLS on this port (use an http:// URL)"
        case .other: "TLS handshake failed: \(text)"
        case nil: nil
        }
    }
}
