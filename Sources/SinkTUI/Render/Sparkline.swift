/// Charts a series with the eight block characters `▁▂▃▄▅▆▇█`, one column per sample, newest at
/// the right, over one or more rows.
enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Rows top to bottom, each exactly `width` characters.
    ///
    /// Values are scaled from 0 to `maximum` (the series' own maximum when `nil`), so equal values
    /// in two series drawn with the same maximum have equal heights. A sample is always at least
    /// `▁`, so a zero reads as "measured zero"; a missing sample (NaN, or before the history
    /// starts) is blank.
    static func render(_ values: [Double], width: Int, height: Int = 1, maximum: Double? = nil) -> [String] {
        let width = max(0, width), height = max(1, height)
        let shown = Array(values.suffix(width))
        let top = maximum ?? shown.filter(\.isFinite).max() ?? 0
        let eighthsPerRow = 8
        // Total height of each column in eighths of a row.
        let levels: [Int?] = shown.map { value in
            guard value.isFinite else { return nil }
            let fraction = top > 0 ? min(1, max(0, value / top)) : 0
            return max(1, Int((fraction * Double(height * eighthsPerRow)).rounded()))
        }
        let padding = width - shown.count
        var rows: [String] = []
        for row in 0..<height {
            let floor = (height - 1 - row) * eighthsPerRow
            var line = String(repeating: " ", count: padding)
            for level in levels {
                guard let level else { line.append(" "); continue }
                let inRow = level - floor
                line.append(inRow <= 0 ? " " : blocks[min(eighthsPerRow, inRow) - 1])
            }
            rows.append(line)
        }
        return rows
    }
}
