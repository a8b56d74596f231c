#if canImport(Glibc)
import Glibc
#endif
import MonitorKitCore

/// One reading of the process and of the watched filesystems. A figure the system does not
/// give (no `/proc`, a directory with no existing ancestor) is left out of the sample rather
/// than reported as zero.
struct SystemFigures: Sendable, Equatable {
    var residentBytes: Int?
    var cpuSeconds: Double?
    var openFiles: Int?
    var maxOpenFiles: Int?
    var threads: Int?
    var filesystems: [(name: String, figures: FilesystemFigures?)]

    static func == (lhs: SystemFigures, rhs: SystemFigures) -> Bool { lhs.fields == rhs.fields }

    /// Reads everything now.
    static func read(paths: [SystemSourceConfig.WatchedPath]) -> SystemFigures {
        SystemFigures(
            residentBytes: ProcessFigures.residentBytes(), cpuSeconds: ProcessFigures.cpuSeconds(),
            openFiles: ProcessFigures.openFiles(), maxOpenFiles: ProcessFigures.maxOpenFiles(),
            threads: ProcessFigures.threads(),
            filesystems: paths.map { ($0.name, FilesystemFigures.read($0.path)) })
    }

    /// The sample, in the order of ``descriptors(paths:)``.
    var fields: Fields {
        var f = Fields()
        if let residentBytes { f.append("resident_memory_bytes", .int(residentBytes)) }
        if let cpuSeconds { f.append("cpu_seconds", .double(cpuSeconds)) }
        if let openFiles { f.append("open_fds", .int(openFiles)) }
        if let maxOpenFiles { f.append("max_fds", .int(maxOpenFiles)) }
        if let openFiles, let maxOpenFiles, maxOpenFiles > 0 {
            f.append("fd_usage_ratio", .double(Double(openFiles) / Double(maxOpenFiles)))
        }
        if let threads { f.append("threads", .int(threads)) }
        for (name, figures) in filesystems {
            guard let figures else { continue }
            f.append(name + "_fs_free_bytes", .int(figures.availableBytes))
            f.append(name + "_fs_size_bytes", .int(figures.totalBytes))
            f.append(name + "_fs_free_ratio", .double(figures.freeRatio))
            f.append(name + "_fs_free_inodes", .int(figures.availableInodes))
            f.append(name + "_fs_path", .string(figures.measuredPath))
        }
        return f
    }
}

/// The process's own figures, from `/proc/self` and `getrlimit`.
enum ProcessFigures {
    /// Resident set size: `/proc/self/statm`'s second figure, in pages.
    static func residentBytes() -> Int? {
        guard let statm = read("/proc/self/statm") else { return nil }
        let parts = statm.split(separator: " ")
        guard parts.count > 1, let pages = Int(parts[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// User plus system CPU time of every thread, from `getrusage`.
    static func cpuSeconds() -> Double? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Entries of `/proc/self/fd`, less the one the count itself holds open.
    static func openFiles() -> Int? {
        guard let dir = opendir("/proc/self/fd") else { return nil }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { count += 1 }
        }
        return max(0, count - 1)
    }

    /// The soft limit on open files (`ulimit -n`), or `nil` when unlimited.
    static func maxOpenFiles() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// `Threads:` of `/proc/self/status`.
    static func threads() -> Int? {
        guard let status = read("/proc/self/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst("Threads:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" }))
        }
        return nil
    }

    /// A small file of `/proc`, whole.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Space and inodes of the filesystem a directory is on, as `statvfs` gives them to an
/// unprivileged process (`f_bavail`, `f_favail`: what is left for monitord, not for root).
struct FilesystemFigures: Sendable, Equatable {
    var availableBytes: Int
    var totalBytes: Int
    var availableInodes: Int
    /// The directory measured: the watched one, or its nearest existing ancestor while it does
    /// not exist yet (the cache creates its directory at start; the space is the same).
    var measuredPath: String

    /// Available over total bytes; 0 for a filesystem that reports no size.
    var freeRatio: Double { totalBytes > 0 ? Double(availableBytes) / Double(totalBytes) : 0 }

    static func read(_ path: String) -> FilesystemFigures? {
        var candidate = path.isEmpty ? "." : path
        while true {
            var figures = statvfs()
            if statvfs(candidate, &figures) == 0 {
                let block = Int(figures.f_frsize > 0 ? figures.f_frsize : figures.f_bsize)
                return FilesystemFigures(
                    availableBytes: Int(clamping: figures.f_bavail) &* block, totalBytes: Int(clamping: figures.f_blocks) &* block,
                    availableInodes: Int(clamping: figures.f_favail), measuredPath: candidate)
            }
            guard errno == ENOENT, let parent = Self.parent(of: candidate) else { return nil }
            candidate = parent
        }
    }

    /// `a/b` → `a`, `/a` → `/`, `a` → `.`; `nil` at the top.
    static func parent(of path: String) -> String? {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard trimmed != "/", trimmed != "." else { return nil }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
