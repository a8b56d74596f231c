/// A `monitord top` option that cannot work, with what to pass instead.
public struct TopOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the options, and how to fix it.
    public var description: String
    /// The error saying `description`.
    public init(_ description: String) { self.description = description }
}
