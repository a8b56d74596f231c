import Foundation

/// A small tmpfs mounted for a test, to make a disk really full or really read-only (the tests
/// run as root, for whom permission bits do not stop writes). Only where mounting is allowed.
struct TmpfsMount {
    let path: String

    /// Whether this process may mount (root with CAP_SYS_ADMIN); tried once.
    static let isAvailable: Bool = {
        guard let probe = TmpfsMount(size: "64k") else { return false }
        probe.unmount()
        return true
    }()

    init?(size: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-mount-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil else { return nil }
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(size),mode=0700") == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        self.path = path
    }

    /// Remounts read-only.
    func makeReadOnly() -> Bool {
        mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT) | UInt(MS_RDONLY), nil) == 0
    }

    func unmount() {
        umount2(path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: path)
    }
}
