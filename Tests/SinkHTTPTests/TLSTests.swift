import AsyncHTTPClient
import Foundation
import MonitorKitCore
import NIOCore
import NIOSSL
import Testing

@testable import SinkHTTP

/// HTTPS on the http sink, against certificates the real `openssl` made.
@Suite struct TLSTests {
    func decode(_ yaml: String) throws -> HTTPSinkConfig { try ConfigTests().decode(yaml) }

    func error(_ yaml: String) -> String { ConfigTests().error(yaml) }

    /// A CA with a server certificate, a client certificate and a second CA with its own server certificate.
    func pki() throws -> TestPKI {
        let pki = try TestPKI()
        try pki.authority("ca").certificate("server", signedBy: "ca").certificate("client", signedBy: "ca", role: "client")
        try pki.authority("other").certificate("server2", signedBy: "other").certificate("stranger", signedBy: "other", role: "client")
        return pki
    }

    func tlsYAML(_ pki: TestPKI, cert: String = "server", key: String? = nil, clientCA: String? = nil, extra: String = "") -> String {
        var yaml = """
            port: 0
            tls:
              cert_file: \(pki.path("\(cert).crt"))
              key_file: \(pki.path("\(key ?? cert).key"))
            """
        if let clientCA { yaml += "\n  client_ca_file: \(pki.path("\(clientCA).crt"))" }
        return yaml + (extra.isEmpty ? "" : "\n" + extra)
    }

    /// One request through a client that trusts `ca` and presents `client`, if given.
    func request(
        _ method: String, _ url: String, trusting ca: String?, client: (cert: String, key: String)? = nil,
        headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> TestResponse {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca { tls.trustRoots = .file(ca) }
        if let client {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(client.cert).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: client.key, format: .pem))
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .init(rawValue: method)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(body) }
            let response = try await http.execute(request, timeout: .seconds(10))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            return TestResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Array(buffer.readableBytesView))
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    // MARK: the files, checked when the config is read

    @Test func aMissingFileIsNamedWithItsKey() throws {
        let pki = try pki()
        defer { pki.remove() }
        let message = error(tlsYAML(pki, cert: "nothing", key: "server"))
        #expect(message.contains("tls.cert_file"), "\(message)")
        #expect(message.contains("nothing.crt cannot be opened: no such file"), "\(message)")
        let key = error(tlsYAML(pki, key: "nothing"))
        #expect(key.contains("tls.key_file") && key.contains("nothing.key cannot be opened: no such file"), "\(key)")
        let ca = error(tlsYAML(pki, clientCA: "nothing"))
        #expect(ca.contains("tls.client_ca_file") && ca.contains("no such file"), "\(ca)")
    }

    @Test func aFileThatIsNotPEMSaysHowToConvertIt() throws {
        let pki = try pki()
        defer { pki.remove() }
        try pki.openssl("x509", "-in", pki.path("server.crt"), "-outform", "der", "-out", pki.path("der.crt"))
        let message = error(tlsYAML(pki, cert: "der", key: "server"))
        #expect(message.contains("is not a PEM certificate") && message.contains("openssl x509 -inform der"), "\(message)")
        try pki.write("garbled.crt", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
        let garbled = error(tlsYAML(pki, cert: "garbled", key: "server"))
        #expect(garbled.contains("does not parse"), "\(garbled)")
        let keyAsCert = error(tlsYAML(pki, cert: "server", key: "server").replacingOccurrences(of: "server.key", with: "server.crt"))
        #expect(keyAsCert.contains("tls.key_file") && keyAsCert.contains("is not a PEM private key"), "\(keyAsCert)")
    }

    @Test func anEmptyTLSSectionOrASwappedPairIsRefused() throws {
        let pki = try pki()
        defer { pki.remove() }
        #expect(error("port: 0\ntls:\n  # cert_file: x\n").contains("tls: is empty, which would serve plain HTTP"))
        let swapped = error(tlsYAML(pki).replacingOccurrences(of: "server.crt", with: "server.tmp").replacingOccurrences(of: "server.key", with: "server.crt").replacingOccurrences(of: "server.tmp", with: "server.key"))
        #expect(swapped.contains("holds a private key, not a certificate (are the certificate and the key swapped?)"), "\(swapped)")
        try pki.write("empty.crt", "")
        #expect(error(tlsYAML(pki, cert: "empty", key: "server")).contains("empty.crt is empty"))
    }

    @Test func aSmallMaxConnectionsLowersTheDefaultStreamLimit() throws {
        let config = try decode("max_connections: 20")
        #expect(config.maxEventStreams == 10)
        #expect(error("max_connections: 20\nmax_event_streams: 11").contains("must be at most half of max_connections"))
    }

    @Test func aKeyOfAnotherCertificateIsRefused() throws {
        let pki = try pki()
        defer { pki.remove() }
        let message = error(tlsYAML(pki, cert: "server", key: "client"))
        #expect(message.contains("tls.key_file"), "\(message)")
        #expect(message.contains("is not the private key of the certificate in"), "\(message)")
    }

    @Test func anEncryptedKeyIsRefusedWithTheCommandThatDecryptsIt() throws {
        let pki = try pki()
        defer { pki.remove() }
        try pki.openssl("pkey", "-in", pki.path("server.key"), "-aes256", "-passout", "pass:secret", "-out", pki.path("locked.key"))
        let message = error(tlsYAML(pki, cert: "server", key: "locked"))
        #expect(message.contains("encrypted with a passphrase") && message.contains("openssl pkey -in"), "\(message)")
    }

    @Test func anExpiredCertificateIsAWarningWithItsDate() throws {
        let pki = try pki()
        defer { pki.remove() }
        try pki.certificate("old", signedBy: "ca", valid: ("20200101000000Z", "20210615120000Z"))
        let config = try decode(tlsYAML(pki, cert: "old"))
        #expect(config.warnings.map(\.path) == ["tls.cert_file"])
        #expect(config.warnings.first?.message.contains("expired on 2021-06-15 12:00:00 UTC") == true, "\(config.warnings)")
        #expect(try decode(tlsYAML(pki)).warnings.isEmpty)
    }

    @Test func aKeyOthersCanReadIsAWarning() throws {
        let pki = try pki()
        defer { pki.remove() }
        chmod(pki.path("server.key"), 0o644)
        let config = try decode(tlsYAML(pki))
        #expect(config.warnings.map(\.path) == ["tls.key_file"])
        #expect(config.warnings.first?.message.contains("mode 644") == true)
    }

    @Test func authModesNeedWhatTheyUse() throws {
        let pki = try pki()
        defer { pki.remove() }
        #expect(error(tlsYAML(pki, extra: "auth: client_cert")).contains("auth: client_cert needs tls.client_ca_file"))
        #expect(error(tlsYAML(pki, clientCA: "ca", extra: "auth: either")).contains("auth_token, which is not set"))
        #expect(error(tlsYAML(pki, clientCA: "ca", extra: "auth: client_cert\nauth_token: abc")).contains("use auth: either"))
        #expect(error(tlsYAML(pki, clientCA: "ca", extra: "auth: certs")).contains("is not one of token, client_cert, either"))
        let version = error(tlsYAML(pki) + "\n  min_version: \"1.1\"")
        #expect(version.contains("min_version \"1.1\" is not a TLS version"), "\(version)")
        // A client certificate is a credential: an open address with auth: client_cert needs no token.
        let open = try decode(tlsYAML(pki, clientCA: "ca", extra: "auth: client_cert\nhost: 0.0.0.0"))
        #expect(open.auth == .clientCert)
    }

    // MARK: serving

    @Test func servesHTTPSToAClientThatTrustsTheCA() async throws {
        let pki = try pki()
        defer { pki.remove() }
        try await SinkHarness.with(try decode(tlsYAML(pki))) { api async throws in
            let url = "https://127.0.0.1:\(api.port)"
            let health = try await request("GET", url + "/health", trusting: pki.path("ca.crt"))
            #expect(health.status == 200)
            // The system's trust store does not know this CA, nor does a client trusting another one.
            await #expect(throws: (any Error).self) { try await request("GET", url + "/health", trusting: nil) }
            await #expect(throws: (any Error).self) { try await request("GET", url + "/health", trusting: pki.path("other.crt")) }
            // Plain HTTP to the HTTPS port gets nothing.
            await #expect(throws: (any Error).self) { try await TestHTTP.request("GET", "http://127.0.0.1:\(api.port)/health") }
            let metrics = try await request("GET", url + "/metrics", trusting: pki.path("ca.crt")).text
            let notAfter = Int(try TLSMaterial.load(certFile: pki.path("server.crt"), keyFile: pki.path("server.key"), clientCAFile: nil).notAfter)
            #expect(metrics.contains("monitord_tls_certificate_expiry_seconds{sink=\"api\"} \(notAfter)"), "\(metrics)")
        }
    }

    @Test func aValueServedFromItsFileReadsBackExactlyOverHTTPS() async throws {
        // Plain-text connections send such a value with sendfile; TLS must read it to encrypt it.
        let pki = try pki()
        defer { pki.remove() }
        try await SinkHarness.with(try decode(tlsYAML(pki)), maxMemoryValueBytes: 64 << 10) { api async throws in
            let url = "https://127.0.0.1:\(api.port)/api/cache/entries/clip"
            let value = (0..<900_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
            #expect(try await request("PUT", url, trusting: pki.path("ca.crt"), body: value).status == 200)
            let whole = try await request("GET", url, trusting: pki.path("ca.crt"))
            #expect(whole.header("x-cache") == "disk")
            #expect(whole.body == value)
            let part = try await request("GET", url, trusting: pki.path("ca.crt"), headers: [("Range", "bytes=600000-")])
            #expect(part.status == 206)
            #expect(part.body == Array(value[600_000...]))
        }
    }

    @Test func aClientCAMakesACertificateNecessary() async throws {
        let pki = try pki()
        defer { pki.remove() }
        try await SinkHarness.with(try decode(tlsYAML(pki, clientCA: "ca", extra: "auth: client_cert"))) { api async throws in
            let url = "https://127.0.0.1:\(api.port)"
            let ca = pki.path("ca.crt")
            await #expect(throws: (any Error).self) { try await request("GET", url + "/health", trusting: ca) }
            // Signed by another CA: refused in the handshake as well.
            await #expect(throws: (any Error).self) {
                try await request("GET", url + "/health", trusting: ca, client: (pki.path("stranger.crt"), pki.path("stranger.key")))
            }
            let client = (pki.path("client.crt"), pki.path("client.key"))
            #expect(try await request("GET", url + "/health", trusting: ca, client: client).status == 200)
            // The certificate is the credential: a PUT needs no token.
            #expect(try await request("PUT", url + "/api/cache/entries/k", trusting: ca, client: client, body: [7]).status == 200)
            #expect(try api.cache?.get("k") == [7])
        }
    }

    @Test func eitherTakesACertificateOrTheToken() async throws {
        let pki = try pki()
        defer { pki.remove() }
        let config = try decode(tlsYAML(pki, clientCA: "ca", extra: "auth: either\nauth_token: tok"))
        try await SinkHarness.with(config) { api async throws in
            let url = "https://127.0.0.1:\(api.port)"
            let ca = pki.path("ca.crt")
            let bare = try await request("PUT", url + "/api/cache/entries/k", trusting: ca, body: [1])
            #expect(bare.status == 401)
            #expect(bare.text.contains("a client certificate signed by client_ca_file or an Authorization: Bearer <token> header"), "\(bare.text)")
            #expect(try api.cache?.get("k") == nil)
            #expect(try await request("PUT", url + "/api/cache/entries/k", trusting: ca, headers: [("Authorization", "Bearer tok")], body: [2]).status == 200)
            let client = (pki.path("client.crt"), pki.path("client.key"))
            #expect(try await request("PUT", url + "/api/cache/entries/k", trusting: ca, client: client, body: [3]).status == 200)
            #expect(try api.cache?.get("k") == [3])
            // A certificate of another CA is not "no certificate": the handshake fails.
            await #expect(throws: (any Error).self) {
                try await request("GET", url + "/health", trusting: ca, client: (pki.path("stranger.crt"), pki.path("stranger.key")))
            }
        }
    }

    @Test func rereadingServesTheNewFilesToNewConnections() async throws {
        let pki = try pki()
        defer { pki.remove() }
        try FileManager.default.copyItem(atPath: pki.path("server.crt"), toPath: pki.path("live.crt"))
        try FileManager.default.copyItem(atPath: pki.path("server.key"), toPath: pki.path("live.key"))
        let yaml = tlsYAML(pki, cert: "live")
        try await SinkHarness.with(try decode(yaml)) { api async throws in
            let url = "https://127.0.0.1:\(api.port)/health"
            #expect(try await request("GET", url, trusting: pki.path("ca.crt")).status == 200)
            #expect(await api.sink.reread(try decode(yaml)) == .unchanged)

            // The files now hold a certificate another CA signed.
            try FileManager.default.removeItem(atPath: pki.path("live.crt"))
            try FileManager.default.removeItem(atPath: pki.path("live.key"))
            try FileManager.default.copyItem(atPath: pki.path("server2.crt"), toPath: pki.path("live.crt"))
            try FileManager.default.copyItem(atPath: pki.path("server2.key"), toPath: pki.path("live.key"))
            guard case .updated(let message) = await api.sink.reread(try decode(yaml)) else {
                Issue.record("the new files were not taken")
                return
            }
            #expect(message.contains("certificate serial \(try pki.serial("server")) -> \(try pki.serial("server2"))"), "\(message)")
            #expect(try await request("GET", url, trusting: pki.path("other.crt")).status == 200)
            await #expect(throws: (any Error).self) { try await request("GET", url, trusting: pki.path("ca.crt")) }
        }
    }
}
