#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// The certificate chain, private key and client CA of the `http` sink's `tls:` section, read
/// from their files and checked: each file exists, is readable, is PEM, parses, and the key
/// belongs to the certificate. The checks run when the config is read (`validate`, start,
/// reload), so a bad file is named before anything listens.
struct TLSMaterial: Sendable {
    /// The server certificate first, then any intermediates from `cert_file`.
    let chain: [NIOSSLCertificate]
    let key: NIOSSLPrivateKey
    /// The certificates of `client_ca_file`, when clients must present one.
    let clientCAs: [NIOSSLCertificate]?

    /// The served certificate's last valid moment (seconds since 1970, UTC).
    var notAfter: Int { Int(chain[0].notValidAfter) }
    var notBefore: Int { Int(chain[0].notValidBefore) }
    /// The served certificate's serial number in hex, as `openssl x509 -serial` prints it.
    var serial: String {
        chain[0].serialNumber.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Which key a problem is about, for the config error's position.
    enum File: String, Sendable { case cert = "cert_file", key = "key_file", clientCA = "client_ca_file" }

    /// A file that cannot serve: which one, and why, in words an operator can act on.
    struct Problem: Error, Sendable, CustomStringConvertible {
        var file: File
        var message: String
        var description: String { "\(file.rawValue): \(message)" }
    }

    /// Reads and checks the three files; `verification` is how clients' certificates are asked for.
    static func load(certFile: String, keyFile: String, clientCAFile: String?) throws(Problem) -> TLSMaterial {
        let chain = try certificates(in: certFile, as: .cert)
        let keyText = try contents(of: keyFile, as: .key)
        guard keyText.contains("-----BEGIN"), keyText.contains("PRIVATE KEY-----") else {
            throw Problem(file: .key, message: "\(keyFile) is not a PEM private key (it has no -----BEGIN PRIVATE KEY----- block; a DER key converts with openssl pkey -inform der -in FILE -out FILE.pem)")
        }
        if keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || keyText.contains("Proc-Type: 4,ENCRYPTED") {
            throw Problem(file: .key, message: "\(keyFile) is encrypted with a passphrase, which a daemon cannot type; write an unencrypted copy readable by monitord only: openssl pkey -in \(keyFile) -out server.key && chmod 600 server.key")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(keyText.utf8), format: .pem)
        } catch {
            throw Problem(file: .key, message: "\(keyFile) does not hold a private key monitord can use (\(error))")
        }
        let clientCAs = try clientCAFile.map { file throws(Problem) in try certificates(in: file, as: .clientCA) }
        let material = TLSMaterial(chain: chain, key: key, clientCAs: clientCAs)
        do {
            _ = try material.context(minimumVersion: .tlsv12, clientCertificates: .none)
        } catch {
            // Both parsed on their own, so what fails now is the pair.
            throw Problem(file: .key, message: "\(keyFile) is not the private key of the certificate in \(certFile) (its public key differs); give the key the certificate was issued for")
        }
        return material
    }

    /// How the server asks for clients' certificates.
    enum ClientCertificates: Sendable {
        /// Not asked for.
        case none
        /// Asked for and checked if given; a client without one still connects (`auth: either`).
        case optional
        /// A client without a certificate signed by `client_ca_file` fails the handshake.
        case required
    }

    /// A server context for new connections.
    func context(minimumVersion: TLSVersion, clientCertificates: ClientCertificates) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion
        if let clientCAs, clientCertificates != .none {
            configuration.trustRoots = .certificates(clientCAs)
            // Clients are known by their certificate, not by a host name.
            configuration.certificateVerification = clientCertificates == .required ? .noHostnameVerification : .optionalVerification
            // The CA names go in the CertificateRequest, so a client with several certificates picks the right one.
            configuration.sendCANameList = true
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// What an operator should hear about without the files being wrong: an expired or not yet
    /// valid certificate (clients will refuse it), a key others can read.
    func warnings(certFile: String, keyFile: String, now: Int = Int(time(nil))) -> [Problem] {
        var warnings: [Problem] = []
        if notAfter < now {
            warnings.append(Problem(file: .cert, message: "the certificate in \(certFile) expired on \(Self.utc(notAfter)); clients will refuse it until it is renewed"))
        } else if notBefore > now {
            warnings.append(Problem(file: .cert, message: "the certificate in \(certFile) is not valid before \(Self.utc(notBefore)); clients will refuse it until then"))
        }
        var status = stat()
        if stat(keyFile, &status) == 0, status.st_mode & 0o077 != 0 {
            warnings.append(Problem(file: .key, message: "\(keyFile) can be read by other users (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it"))
        }
        return warnings
    }

    /// `2026-12-03 11:22:33 UTC`.
    static func utc(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S UTC", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func certificates(in path: String, as file: File) throws(Problem) -> [NIOSSLCertificate] {
        let text = try contents(of: path, as: file)
        if text.allSatisfy(\.isWhitespace) {
            throw Problem(file: file, message: "\(path) is empty")
        }
        if !text.contains("-----BEGIN CERTIFICATE-----"), text.contains("PRIVATE KEY-----") {
            throw Problem(file: file, message: "\(path) holds a private key, not a certificate (are cert_file and key_file swapped?)")
        }
        guard text.contains("-----BEGIN CERTIFICATE-----") else {
            throw Problem(file: file, message: "\(path) is not a PEM certificate (it has no -----BEGIN CERTIFICATE----- block; a DER certificate converts with openssl x509 -inform der -in FILE -out FILE.pem)")
        }
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(text.utf8))
            guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
            return certificates
        } catch {
            throw Problem(file: file, message: "\(path) holds a certificate block that does not parse (\(error)); check it with openssl x509 -in \(path) -noout -text")
        }
    }

    /// A PEM file is small: anything past 1 MiB is not one.
    private static let maximumSize = 1 << 20

    private static func contents(of path: String, as file: File) throws(Problem) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied for monitord's user" : String(cString: strerror(errno)).lowercased()
            throw Problem(file: file, message: "\(path) cannot be opened: \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw Problem(file: file, message: "\(path) is not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Problem(file: file, message: "\(path) cannot be read: \(String(cString: strerror(errno)).lowercased())")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maximumSize else {
                throw Problem(file: file, message: "\(path) is larger than 1 MiB, which no PEM file of certificates or keys is")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
