import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    // Constant, valid header names: the failable initializer cannot fail on them.

    /// Which tier answered a data-plane read: `memory` or `disk`.
    static let xCache = HTTPField.Name("X-Cache")!
    /// Asks a proxy in front (nginx) not to buffer the event stream.
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
}
