import MonitorKitCore
import NIOPosix

/// The `system` source: each sample reads the process's figures from `/proc/self` and each
/// watched directory's filesystem with `statvfs`, on NIO's blocking-I/O pool (a hung network
/// filesystem must not hold a thread of Swift's cooperative pool).
public struct SystemSource: Source {
    public let id: String
    public let paths: [SystemSourceConfig.WatchedPath]

    /// A source reading the process and the filesystems of `paths`.
    public init(id: String, paths: [SystemSourceConfig.WatchedPath]) {
        self.id = id
        self.paths = paths
    }

    public var sampleName: String { id + ".stats" }

    /// `stats`: a fresh reading, for `/metrics` and the API.
    public var actions: [String] { ["stats"] }

    public func sample() async throws -> Fields {
        let paths = paths
        return try await NIOThreadPool.singleton.runIfActive { SystemFigures.read(paths: paths).fields }
    }

    public func perform(action: String, arguments: Fields) async throws -> Fields {
        guard action == "stats" else { throw SourceActionError.unknownAction(source: id, action: action) }
        return try await sample()
    }
}
