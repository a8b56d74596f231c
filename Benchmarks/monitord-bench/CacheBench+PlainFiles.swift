import Foundation
import MonitorKitCore

extension CacheBench {
    /// The baselines' file work: what any program does to store or read a blob, with no cache
    /// logic (no hashing, header, checksum or bookkeeping).
    struct PlainFiles {
        let directory: String
        /// Spread files over `ab/cd/` directories (created when missing) as the cache does, to
        /// tell the cost of that layout from the cost of the cache's own work.
        var layered = false

        init(directory: String, layered: Bool = false) {
            self.directory = directory
            self.layered = layered
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }

        /// open(temp, O_CREAT|O_EXCL) + write + close + rename, in one flat directory (or `ab/cd`).
        func write(_ name: String, _ bytes: [UInt8]) {
            var folder = directory
            if layered {
                // FNV-1a, then a SplitMix64 finish so the top bits (the directory) spread evenly, as
                // the SHA-256 names of the cache do.
                var fnv = FNV1a()
                fnv.combine(name.utf8)
                var hash = fnv.value
                hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
                hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
                hash ^= hash >> 31
                let hex = String(hash, radix: 16)
                let padded = String(repeating: "0", count: 16 - hex.count) + hex
                folder += "/" + padded.prefix(2) + "/" + padded.dropFirst(2).prefix(2)
            }
            let target = folder + "/" + name
            let temporary = target + ".tmp"
            var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 && errno == ENOENT && layered {
                mkdir(String(folder.dropLast(3)), 0o700)
                mkdir(folder, 0o700)
                fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            }
            precondition(fd >= 0, "open \(temporary): \(errno)")
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            precondition(written == bytes.count)
            close(fd)
            precondition(rename(temporary, target) == 0)
        }

        /// open + fstat + read of the whole file + close; returns the bytes read.
        static func read(_ path: String) -> Int {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            precondition(fd >= 0)
            defer { close(fd) }
            var info = stat()
            fstat(fd, &info)
            let length = Int(info.st_size)
            let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                count = Foundation.read(fd, buffer.baseAddress, length)
            }
            return bytes.count
        }

        /// Absolute paths of the entry files (64-hex names) under a cache directory.
        static func entryFiles(under directory: String) -> [String] {
            var files: [String] = []
            let walker = FileManager.default.enumerator(atPath: directory)
            while let relative = walker?.nextObject() as? String {
                if relative.split(separator: "/").last?.count == 64 { files.append(directory + "/" + relative) }
            }
            return files
        }
    }
}
