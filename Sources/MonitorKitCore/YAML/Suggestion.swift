/// "Did you mean" for misspelled keys, types and ids.
enum Suggestion {
    /// The candidate closest to `word`, when it is close enough to be a likely typo.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let other = candidate.lowercased()
            let distance = editDistance(lowered, other)
            // Allow about one edit per three characters, so "x" does not "mean" "y"; a cut-short
            // word ("warn" for "warning") counts as close too.
            let limit = max(1, min(3, candidate.count / 3))
            let isAbbreviation = lowered.count >= 3 && (other.hasPrefix(lowered) || lowered.hasPrefix(other))
            guard isAbbreviation || (distance <= limit && distance < candidate.count) else { continue }
            if let current = best, current.distance <= distance { continue }
            best = (candidate, distance)
        }
        return best?.candidate
    }

    /// A key one edit (insert, delete, replace, swap) from `word` that `accepted` takes. Used when a
    /// decode stopped early and the valid keys cannot be listed, only tested one by one.
    static func oneEditAway(from word: String, accepted: (String) -> Bool) -> String? {
        let characters = Array(word)
        guard !characters.isEmpty, characters.count <= 40 else { return nil }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz_0123456789")
        func make(_ edited: [Character]) -> String? {
            let candidate = String(edited)
            return candidate != word && accepted(candidate) ? candidate : nil
        }
        for index in characters.indices.dropLast() {
            var swapped = characters
            swapped.swapAt(index, index + 1)
            if let match = make(swapped) { return match }
        }
        for index in characters.indices {
            var removed = characters
            removed.remove(at: index)
            if let match = make(removed) { return match }
        }
        for index in 0...characters.count {
            for letter in alphabet {
                var inserted = characters
                inserted.insert(letter, at: index)
                if let match = make(inserted) { return match }
            }
        }
        for index in characters.indices {
            for letter in alphabet where letter != characters[index] {
                var replaced = characters
                replaced[index] = letter
                if let match = make(replaced) { return match }
            }
        }
        return nil
    }

    /// ` (did you mean "port"?)`, or `; valid <noun>: a, b, c` when nothing is close, or "" when
    /// there are no candidates at all.
    static func hint(for word: String, in candidates: [String], noun: String) -> String {
        if let match = closest(to: word, in: candidates) {
            return " (did you mean \"\(match)\"?)"
        }
        guard !candidates.isEmpty else { return "" }
        return "; valid \(noun): \(candidates.joined(separator: ", "))"
    }

    /// Optimal string alignment distance: Levenshtein plus adjacent swaps ("prot" -> "port" is 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
