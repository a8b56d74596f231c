import Foundation

/// A throwaway certificate authority in a scratch directory, made with the real `openssl`
/// command: a CA, server certificates for 127.0.0.1 and client certificates it signs.
struct TestPKI {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// `name.crt` and `name.key`: a self-signed CA.
    @discardableResult
    func authority(_ name: String) throws -> TestPKI {
        try openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", path("\(name).key"), "-out", path("\(name).crt"), "-subj", "/CN=\(name)", "-days", "30")
        try write("\(name).cnf", """
            [ca]
            default_ca = signing
            [signing]
            database = \(path("\(name).index"))
            new_certs_dir = \(directory.path)
            certificate = \(path("\(name).crt"))
            private_key = \(path("\(name).key"))
            serial = \(path("\(name).serial"))
            default_md = sha256
            policy = anything
            unique_subject = no
            copy_extensions = none
            [anything]
            commonName = supplied
            [server]
            basicConstraints = CA:FALSE
            subjectAltName = IP:127.0.0.1,DNS:localhost
            extendedKeyUsage = serverAuth
            [client]
            basicConstraints = CA:FALSE
            extendedKeyUsage = clientAuth
            """)
        try write("\(name).index", "")
        try write("\(name).serial", String(format: "%02X\n", Int.random(in: 16...250)))
        return self
    }

    /// `name.crt` and `name.key`, signed by `authority`; `role` is `server` (for 127.0.0.1 and
    /// localhost) or `client`. `valid` gives openssl's `-startdate`/`-enddate` (an expired one).
    @discardableResult
    func certificate(_ name: String, signedBy authority: String, role: String = "server", valid: (String, String)? = nil) throws -> TestPKI {
        try openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(name)")
        var arguments = ["ca", "-batch", "-notext", "-config", path("\(authority).cnf"), "-extensions", role,
                         "-in", path("\(name).csr"), "-out", path("\(name).crt")]
        arguments += valid.map { ["-startdate", $0.0, "-enddate", $0.1] } ?? ["-days", "30"]
        try openssl(arguments)
        chmod(path("\(name).key"), 0o600)
        return self
    }

    /// The serial number as `openssl x509 -serial` prints it, without `serial=`.
    func serial(_ name: String) throws -> String {
        try openssl("x509", "-in", path("\(name).crt"), "-noout", "-serial")
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    @discardableResult
    func openssl(_ arguments: String...) throws -> String { try openssl(arguments) }

    @discardableResult
    func openssl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PKIError(description: "openssl \(arguments.joined(separator: " ")) failed: \(problems)")
        }
        return text
    }

    struct PKIError: Error, CustomStringConvertible { var description: String }
}
