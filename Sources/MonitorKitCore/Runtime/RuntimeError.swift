/// Why the daemon could not build or run a component; one line for the user.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    /// `sources.cache`, `sinks.api`.
    public var component: String
    public var message: String

    public init(component: String, message: String) {
        self.component = component
        self.message = message
    }

    public var description: String { "\(component): \(message)" }
}
