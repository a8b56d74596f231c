/// Points where a test can step into the disk tier's file work, to put another manager's write
/// (or a lookup) into the exact window it wants to prove safe. Every hook is `nil` in production.
struct DiskHooks: Sendable {
    /// Where a removal has got to when ``beforeUnlink`` is called.
    enum RemovalStep: Sendable {
        /// A conditional removal found the entry's file to be the one it meant.
        case checked
        /// A conditional removal moved the file to its private name and is about to compare it again.
        case movedAside
        /// A clear is about to remove this file.
        case clearing
    }

    /// Called between a removal's check and its unlink (and before each file a clear removes).
    var beforeUnlink: (@Sendable (EntryDigest, RemovalStep) -> Void)?
    /// Called when a write's temporary file is complete, before it is renamed into place.
    var beforeRename: (@Sendable (EntryDigest) -> Void)?
    /// Called before an entry's file is opened for a lookup.
    var beforeRead: (@Sendable (EntryDigest) -> Void)?
}
