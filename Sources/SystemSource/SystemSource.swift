import MonitorKitCore
import NIOPosix

/// The `system` source: each sample reads the process's figures from `/proc/self` and each
/// watched directory's filesystem with `statvfs`, on a thread of its own (a hung network
/// filesystem must not hold a thread of Swift's cooperative pool).
public struct SystemSource: Source {
    /// The component id from `monitord.yaml`.
    public let id: String
    /// The directories whose filesystems each sample reads.
    public let paths: [SystemSourceConfig.WatchedPath]

    /// A source reading the process and the filesystems of `paths`.
    public init(id: String, paths: [SystemSourceConfig.WatchedPath]) {
        self.id = id
        self.paths = paths
    }

    /// `<id>.stats`: the name of the scheduler's samples.
    /// The thread the readings run on: one of its own, so a hung filesystem holds only this
    /// source's readings, and no other part of the daemon waits behind them.
    static let reader: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    public var sampleName: String { id + ".stats" }

    /// `stats`: a fresh reading, for `/metrics` and the API.
    public var actions: [String] { ["stats"] }

    /// The process's figures and each watched filesystem's, read now.
    public func sample() async throws -> Fields {
        let paths = paths
        return try await Self.reader.runIfActive { SystemFigures.read(paths: paths).fields }
    }

    /// `stats` answers a fresh sample; any other action is unknown.
    public func perform(action: String, arguments: Fields) async throws -> Fields {
        guard action == "stats" else { throw SourceActionError.unknownAction(source: id, action: action) }
        return try await sample()
    }
}
