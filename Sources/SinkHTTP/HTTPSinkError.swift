#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why the HTTP sink could not run.
public enum HTTPSinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Binding the listening socket failed: the port is taken, the address is not local, ...
    /// The daemon prefixes the sink (`sinks.api: cannot listen on 127.0.0.1:8000: ...`).
    case cannotListen(host: String, port: Int, reason: String)

    /// The message as the daemon prints it after the sink's name.
    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
        }
    }

    /// A short reason (`address already in use`) rather than NIO's full error text.
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError {
            if error.errnoCode == EADDRINUSE {
                return "address already in use (another process is listening there; pick another port)"
            }
            if error.errnoCode == EADDRNOTAVAIL {
                return "address not available on this machine (check host)"
            }
            if error.errnoCode == EACCES {
                return "permission denied (ports below 1024 need privileges)"
            }
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        return String(describing: error)
    }
}
