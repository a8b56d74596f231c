import Foundation
import MonitorKitCore

/// Where the config text came from: `-c`, `$MONITORD_CONFIG`, `./monitord.yaml`,
/// `./config/monitord.yaml`, else the default compiled into the binary, the first that is given.
struct ConfigSource {
    /// The name errors start with: the path, or `<embedded default>`.
    var name: String
    var text: String

    /// The text of config/monitord.yaml compiled into the binary.
    static var embeddedDefault: String { String(decoding: PackageResources.monitord_yaml, as: UTF8.self) }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// `-c`, then `$MONITORD_CONFIG`, `./monitord.yaml`, `./config/monitord.yaml`, else the default.
    static func locate(explicit: String?, environment: [String: String]) throws(ReadError) -> ConfigSource {
        if let explicit { return try read(explicit, from: "-c") }
        if let path = environment["MONITORD_CONFIG"], !path.isEmpty { return try read(path, from: "$MONITORD_CONFIG") }
        for path in ["monitord.yaml", "config/monitord.yaml"] where FileManager.default.fileExists(atPath: path) {
            return try read(path, from: "lookup")
        }
        return ConfigSource(name: "<embedded default>", text: embeddedDefault)
    }

    /// The largest config file read.
    static let maximumSize = 16 << 20

    private static func read(_ path: String, from origin: String) throws(ReadError) -> ConfigSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(description: "config file \(path) (from \(origin)) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw ReadError(description: "config file \(path) (from \(origin)) is a directory, not a YAML file")
        }
        // A config is a few kilobytes: a device, a pipe or a file of hundreds of megabytes is a
        // mistake (or an attack) and is refused before it is read into memory.
        // stat follows a symbolic link, as a config that is one (into /etc, say) must be read.
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw ReadError(description: "config file \(path) (from \(origin)) is not a regular file (a device, a pipe or a socket)")
            }
            guard Int(status.st_size) <= Self.maximumSize else {
                throw ReadError(description: "config file \(path) (from \(origin)) is \(Int(status.st_size) >> 20) MiB; a config larger than \(Self.maximumSize >> 20) MiB is refused")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "config file \(path) (from \(origin)) cannot be read: permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "config file \(path) (from \(origin)) is not UTF-8 text")
        }
        return ConfigSource(name: path, text: text)
    }
}
