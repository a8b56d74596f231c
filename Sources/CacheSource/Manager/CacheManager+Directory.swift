extension CacheManager {
    /// Why `cache_dir` cannot take entries now (removed, replaced, made read-only), or `nil`
    /// when a write could succeed. Creates and removes one empty file to find out.
    public func directoryProblem() -> CacheDirectoryError? {
        disk.directoryProblem()
    }

    /// Creates `cache_dir` again when it was removed, and writes into the directory the path
    /// names from then on; entries that were in a removed directory are gone. Returns what still
    /// keeps the directory from taking entries (a file in its place, no permission), if anything.
    @discardableResult
    public func restoreDirectory() -> CacheDirectoryError? {
        disk.restoreDirectory()
    }
}
