/// A component's config as text that is equal exactly when the config means the same: values
/// after `${VAR}` interpolation, mappings in key order, positions and quoting left out. A reload
/// compares fingerprints to tell the components it may keep running from the ones it rebuilds.
enum ComponentFingerprint {
    /// The fingerprint of a component's mapping, without the keys in `excluded` (the shared
    /// keys, which are compared decoded).
    static func of(_ node: YAMLNode, excluding excluded: Set<String>) -> String {
        var text = ""
        guard let entries = node.entries else {
            write(node, into: &text)
            return text
        }
        write(entries.filter { !excluded.contains($0.key) }, into: &text)
        return text
    }

    private static func write(_ node: YAMLNode, into text: inout String) {
        switch node.content {
        case .scalar(let scalar):
            // Length-prefixed, so no text can pass for structure.
            text += scalar.isNull && !scalar.isQuoted ? "~" : "s\(scalar.text.utf8.count):\(scalar.text)"
            if let tag = scalar.tag { text += "!\(tag.utf8.count):\(tag)" }
        case .mapping(let entries):
            write(entries, into: &text)
        case .sequence(let elements):
            text += "[\(elements.count)"
            for element in elements {
                text += ","
                write(element, into: &text)
            }
            text += "]"
        }
    }

    private static func write(_ entries: [YAMLNode.Entry], into text: inout String) {
        text += "{\(entries.count)"
        for entry in entries.sorted(by: { $0.key < $1.key }) {
            text += ",k\(entry.key.utf8.count):\(entry.key)="
            write(entry.value, into: &text)
        }
        text += "}"
    }
}
