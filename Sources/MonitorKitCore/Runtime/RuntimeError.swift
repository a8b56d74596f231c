/// Why the daemon could not build or run a component; one line for the user.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    /// `sources.cache`, `sinks.api`.
    public var component: String
    /// What went wrong.
    public var message: String

    /// The error of `component` (its id), saying `message`.
    public init(component: String, message: String) {
        self.component = component
        self.message = message
    }

    /// `<component>: <message>`, as the daemon prints it.
    public var description: String { "\(component): \(message)" }
}
