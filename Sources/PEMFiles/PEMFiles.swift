#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// Certificates and private keys from PEM files, each file checked, with what is wrong said in
/// words an operator can act on. Shared by everything that reads TLS files: the http sink's
/// `tls:`, the alert notifiers' `ca_file`/`cert_file`/`key_file` and the clients' `--cacert`,
/// `--cert` and `--key`. Keys are always read as PEM (NIOSSL's own file loading takes a `.key`
/// file for DER).
public enum PEMFiles {
    /// Why a file cannot be used; the message names the file.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The certificates of `path`, in order (a server certificate, then its intermediates).
    public static func certificates(at path: String) throws(Problem) -> [NIOSSLCertificate] {
        let text = try contents(of: path)
        if text.allSatisfy(\.isWhitespace) {
            throw Problem(message: "\(path) is empty")
        }
        if !text.contains("-----BEGIN CERTIFICATE-----"), text.contains("PRIVATE KEY-----") {
            throw Problem(message: "\(path) holds a private key, not a certificate (are the certificate and the key swapped?)")
        }
        guard text.contains("-----BEGIN CERTIFICATE-----") else {
            throw Problem(message: "\(path) is not a PEM certificate (it has no -----BEGIN CERTIFICATE----- block; a DER certificate converts with openssl x509 -inform der -in FILE -out FILE.pem)")
        }
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(text.utf8))
            guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
            return certificates
        } catch {
            throw Problem(message: "\(path) holds a certificate block that does not parse (\(error)); check it with openssl x509 -in \(path) -noout -text")
        }
    }

    /// The private key of `path`, which must not be encrypted (a daemon cannot type a passphrase).
    public static func privateKey(at path: String) throws(Problem) -> NIOSSLPrivateKey {
        let text = try contents(of: path)
        guard text.contains("-----BEGIN"), text.contains("PRIVATE KEY-----") else {
            throw Problem(message: "\(path) is not a PEM private key (it has no -----BEGIN PRIVATE KEY----- block; a DER key converts with openssl pkey -inform der -in FILE -out FILE.pem)")
        }
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            throw Problem(message: "\(path) is encrypted with a passphrase, which a daemon cannot type; write an unencrypted copy readable by monitord only: openssl pkey -in \(path) -out server.key && chmod 600 server.key")
        }
        do {
            return try NIOSSLPrivateKey(bytes: Array(text.utf8), format: .pem)
        } catch {
            throw Problem(message: "\(path) does not hold a private key monitord can use (\(error))")
        }
    }

    /// Whether `key` is the private key of the first certificate of `chain` (BoringSSL compares
    /// them when a context is made of the two).
    public static func isPair(_ chain: [NIOSSLCertificate], _ key: NIOSSLPrivateKey) -> Bool {
        var pair = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        pair.minimumTLSVersion = .tlsv12
        return (try? NIOSSLContext(configuration: pair)) != nil
    }

    /// A PEM file is small: anything past 1 MiB is not one.
    static let maximumSize = 1 << 20

    private static func contents(of path: String) throws(Problem) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied for monitord's user" : String(cString: strerror(errno)).lowercased()
            throw Problem(message: "\(path) cannot be opened: \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw Problem(message: "\(path) is not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Problem(message: "\(path) cannot be read: \(String(cString: strerror(errno)).lowercased())")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maximumSize else {
                throw Problem(message: "\(path) is larger than 1 MiB, which no PEM file of certificates or keys is")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What a failed TLS handshake was, read from BoringSSL's error text, for messages that say
/// what to do (each client words the fix in its own terms: flags or config keys).
public enum TLSFailure: Sendable, Equatable {
    /// A certificate has expired.
    case expired
    /// The peer's certificate is not signed by a trusted CA, or not for this name.
    case untrusted
    /// The server wants a client certificate (none, or one its CA did not sign, was given).
    case certificateWanted
    /// The other end does not speak TLS on this port.
    case notTLS
    /// Another TLS failure.
    case other

    /// The kind of failure `text` (an error's description) tells of, or `nil` when it is no TLS failure.
    public static func of(_ text: String) -> TLSFailure? {
        if text.contains("CERTIFICATE_EXPIRED") { return .expired }
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return .untrusted }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE_ON_CLIENT_HELLO")
            || text.contains("TLSV1_ALERT_UNKNOWN_CA") || text.contains("BAD_CERTIFICATE") {
            return .certificateWanted
        }
        if text.contains("WRONG_VERSION_NUMBER") { return .notTLS }
        if text.contains("handshakeFailed") || text.contains("BoringSSL") { return .other }
        return nil
    }
}
