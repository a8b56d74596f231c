import MonitorKitCore

/// `type: system`: the daemon's own process figures, and free space and inodes of the
/// filesystems it keeps data on.
///
/// ```yaml
/// system:
///   type: system
///   interval: 15s
///   paths:                  # name: directory; default: every source's data directory, by source id
///     cache: /var/cache/monitord
/// ```
public struct SystemSourceConfig: SourceConfig {
    public static let type = "system"

    /// Watched directories by name; `nil` means every source's data directory, named by its
    /// source id (the cache's `cache_dir` as `cache`).
    public var paths: [WatchedPath]?

    /// A directory whose filesystem is watched, under the name its fields carry
    /// (`<name>_fs_free_ratio`).
    public struct WatchedPath: Sendable, Equatable {
        public var name: String
        public var path: String

        /// Watches `path` as `name`.
        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    /// A config watching `paths` (default: the sources' data directories).
    public init(paths: [WatchedPath]? = nil) {
        self.paths = paths
    }

    enum CodingKeys: String, CodingKey { case paths }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let byName = try c.decodeIfPresent([String: String].self, forKey: .paths) else { return }
        var paths: [WatchedPath] = []
        for (name, path) in byName.sorted(by: { $0.key < $1.key }) {
            guard Self.isFieldName(name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .paths, in: c,
                    debugDescription: "paths.\(name): a path's name becomes part of its field names (\(name)_fs_free_ratio), so it takes letters, digits and _ only")
            }
            guard !path.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .paths, in: c, debugDescription: "paths.\(name) is empty; give a directory")
            }
            paths.append(WatchedPath(name: name, path: path))
        }
        self.paths = paths
    }

    static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The directories watched given the rest of the file.
    func watched(_ directories: [SourceDirectory]) -> [WatchedPath] {
        paths ?? directories.filter { Self.isFieldName($0.source) }.map { WatchedPath(name: $0.source, path: $0.path) }
    }

    public func metrics(_ context: ConfigCheckContext) -> [MetricDescriptor] {
        SystemFigures.descriptors(paths: watched(context.directories).map(\.name))
    }

    public func build(context: SourceBuildContext) async throws -> any Source {
        SystemSource(id: context.id, paths: watched(context.directories))
    }
}
