#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LogOutput {
    /// Why opening `path` for appending would fail, found without creating or opening anything:
    /// a missing or unwritable directory, or a path that is a directory. `nil` when it would
    /// (probably) open; the open at start still has the last word.
    static func problem(opening path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return "\"\(path)\" is a directory; give a file path such as \(path)/monitord.log" }
            return access(path, W_OK) == 0 ? nil : "\"\(path)\" is not writable: \(String(cString: strerror(errno)))"
        }
        let directory = path.lastIndex(of: "/").map { index in index == path.startIndex ? "/" : String(path[..<index]) } ?? "."
        guard stat(directory, &info) == 0 else {
            return "the directory \"\(directory)\" does not exist; create it or choose another path"
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "\"\(directory)\" is not a directory" }
        guard access(directory, W_OK | X_OK) == 0 else {
            return "the directory \"\(directory)\" is not writable: \(String(cString: strerror(errno)))"
        }
        return nil
    }
}
