import MonitorKitCore

extension Value {
    /// `value["a"]?["b"]` on nested objects; `nil` when absent or not an object.
    subscript(key: String) -> Value? {
        objectValue?[key]
    }
}
