import Foundation

extension CacheBench {
    /// The baselines' file work: what any program does to store or read a blob, with no cache
    /// logic (no hashing, header, checksum or bookkeeping).
    struct PlainFiles {
        let directory: String

        /// open(temp, O_CREAT|O_EXCL) + write + close + rename, in one flat directory.
        func write(_ name: String, _ bytes: [UInt8]) {
            let target = directory + "/" + name
            let temporary = target + ".tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
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
