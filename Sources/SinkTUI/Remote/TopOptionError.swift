/// A `monitord top` option that cannot work, with what to pass instead.
public struct TopOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
