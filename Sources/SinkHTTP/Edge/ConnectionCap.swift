import MonitorKitCore

/// The connection cap that leaves room under the open-file limit: every connection is a
/// descriptor, and the cache needs descriptors of its own to open entry files.
enum ConnectionCap {
    /// Descriptors kept for everything but connections: the cache's files, logs, the event loops.
    static let reserve = 128

    /// `configured`, lowered to the limit minus ``reserve`` (half the limit when it is that small).
    static func of(configured: Int, openFiles: Int?) -> Int {
        guard let openFiles else { return configured }
        return min(configured, max(1, openFiles - reserve, openFiles / 2))
    }
}
