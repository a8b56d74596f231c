import MonitorKitCore
import NIOSSL

/// `tls:` on the `http` sink: serve HTTPS, and with `client_ca_file` ask clients for a
/// certificate signed by that CA (mutual TLS).
///
/// ```yaml
/// tls:
///   cert_file: /etc/monitord/tls/server.crt
///   key_file: /etc/monitord/tls/server.key
///   client_ca_file: /etc/monitord/tls/clients-ca.crt
///   min_version: "1.2"
/// ```
public struct HTTPTLSConfig: Decodable, Sendable, CustomDebugStringConvertible {
    /// The lowest protocol version a client may speak.
    public enum MinimumVersion: String, Sendable, CaseIterable {
        case tls12 = "1.2"
        case tls13 = "1.3"

        var nio: TLSVersion { self == .tls12 ? .tlsv12 : .tlsv13 }
    }

    /// The server certificate in PEM, intermediates after it.
    public var certFile: String
    /// Its private key in PEM, unencrypted.
    public var keyFile: String
    /// With it, clients must present a certificate this CA signed (see `auth` for `either`).
    public var clientCAFile: String?
    public var minVersion: MinimumVersion
    /// What the files held when the config was read, checked.
    let material: TLSMaterial

    enum CodingKeys: String, CodingKey {
        case certFile = "cert_file"
        case keyFile = "key_file"
        case clientCAFile = "client_ca_file"
        case minVersion = "min_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        certFile = try c.decode(String.self, forKey: .certFile)
        keyFile = try c.decode(String.self, forKey: .keyFile)
        clientCAFile = try c.decodeIfPresent(String.self, forKey: .clientCAFile).flatMap { $0.isEmpty ? nil : $0 }
        let version = try c.decodeIfPresent(String.self, forKey: .minVersion) ?? "1.2"
        guard let minVersion = MinimumVersion(rawValue: version) else {
            throw DecodingError.dataCorruptedError(
                forKey: .minVersion, in: c,
                debugDescription: "min_version \"\(version)\" is not a TLS version monitord serves; use \"1.2\" (every current client) or \"1.3\"")
        }
        self.minVersion = minVersion
        do {
            material = try TLSMaterial.load(certFile: certFile, keyFile: keyFile, clientCAFile: clientCAFile)
        } catch {
            let key: CodingKeys = switch error.file {
            case .cert: .certFile
            case .key: .keyFile
            case .clientCA: .clientCAFile
            }
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.message)
        }
    }

    /// The warnings about the files as they were read (an expired certificate, a key others can read).
    var warnings: [TLSMaterial.Problem] {
        material.warnings(certFile: certFile, keyFile: keyFile)
    }

    /// The keys only, so that two reads of the same file compare equal whatever the files hold
    /// (their content is read again on every reload anyway).
    public var debugDescription: String {
        "HTTPTLSConfig(certFile: \(certFile), keyFile: \(keyFile), clientCAFile: \(clientCAFile ?? "nil"), minVersion: \(minVersion.rawValue))"
    }
}

/// `auth:` on the `http` sink: what lets a request through the routes that need credentials.
public enum HTTPAuthMode: String, Sendable, CaseIterable {
    /// `Authorization: Bearer <auth_token>` (the default; with `client_ca_file`, clients also need
    /// a certificate to connect at all).
    case token
    /// A client certificate signed by `client_ca_file`, checked in the TLS handshake.
    case clientCert = "client_cert"
    /// Either: clients may connect without a certificate, and then need the token.
    case either
}
