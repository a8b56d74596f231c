#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL
import PEMFiles

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

    /// Reads and checks the three files.
    static func load(certFile: String, keyFile: String, clientCAFile: String?) throws(Problem) -> TLSMaterial {
        func read<T>(_ file: File, _ load: () throws(PEMFiles.Problem) -> T) throws(Problem) -> T {
            do { return try load() } catch { throw Problem(file: file, message: error.message) }
        }
        let chain = try read(.cert) { () throws(PEMFiles.Problem) in try PEMFiles.certificates(at: certFile) }
        let key = try read(.key) { () throws(PEMFiles.Problem) in try PEMFiles.privateKey(at: keyFile) }
        // Both parsed on their own, so what could fail now is the pair.
        guard PEMFiles.isPair(chain, key) else {
            throw Problem(file: .key, message: "\(keyFile) is not the private key of the certificate in \(certFile) (its public key differs); give the key the certificate was issued for")
        }
        let clientCAs = try clientCAFile.map { path throws(Problem) in
            try read(.clientCA) { () throws(PEMFiles.Problem) in try PEMFiles.certificates(at: path) }
        }
        return TLSMaterial(chain: chain, key: key, clientCAs: clientCAs)
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
}
