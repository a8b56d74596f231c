/// Shares the rows of the body among sections by priority, so a small terminal loses the least
/// important parts first and a tall one grows the charts.
enum LayoutPlan {
    struct Demand: Sendable, Equatable {
        var minimum: Int
        var preferred: Int
        var maximum: Int

        init(minimum: Int, preferred: Int, maximum: Int? = nil) {
            self.minimum = max(0, minimum)
            self.preferred = max(self.minimum, preferred)
            self.maximum = max(self.preferred, maximum ?? preferred)
        }
    }

    /// Rows per section, in priority order (the first section is the most important).
    ///
    /// 1. each section in turn gets its minimum, if that still fits (else 0: it is left out);
    /// 2. each section that got in grows to its preferred height, in turn;
    /// 3. what is left grows sections towards their maximum, in turn.
    static func allocate(_ available: Int, _ demands: [Demand]) -> [Int] {
        var remaining = max(0, available)
        var heights = Array(repeating: 0, count: demands.count)
        for (index, demand) in demands.enumerated() where demand.minimum > 0 && demand.minimum <= remaining {
            heights[index] = demand.minimum
            remaining -= demand.minimum
        }
        for limit in [\Demand.preferred, \Demand.maximum] {
            for (index, demand) in demands.enumerated() where heights[index] > 0 {
                let extra = min(remaining, demand[keyPath: limit] - heights[index])
                if extra > 0 {
                    heights[index] += extra
                    remaining -= extra
                }
            }
        }
        return heights
    }

    /// Rows a section gave back (it fits in fewer) go to the sections after it, up to their maximum.
    static func redistribute(_ heights: [Int], fitted: [Int], _ demands: [Demand]) -> [Int] {
        var out = heights
        for index in heights.indices where fitted[index] < heights[index] {
            var freed = heights[index] - fitted[index]
            out[index] = fitted[index]
            for later in (index + 1)..<heights.count where out[later] > 0 && freed > 0 {
                let extra = min(freed, demands[later].maximum - out[later])
                if extra > 0 {
                    out[later] += extra
                    freed -= extra
                }
            }
        }
        return out
    }
}

/// A part of the body that can draw itself in any number of rows it was given.
protocol BodySection {
    var demand: LayoutPlan.Demand { get }
    /// The rows it really uses of `allotted` (charts grow in whole steps); the rest goes to others.
    func fittedHeight(_ allotted: Int) -> Int
    /// Exactly `height` lines.
    func lines(height: Int) -> [ScreenLine]
}

extension BodySection {
    func fittedHeight(_ allotted: Int) -> Int { allotted }

    /// `lines` cut or padded to `height` rows of `width` cells.
    func fit(_ lines: [ScreenLine], height: Int, width: Int) -> [ScreenLine] {
        var out = Array(lines.prefix(height))
        while out.count < height { out.append(ScreenLine(width: width)) }
        return out
    }
}

/// A section title drawn as a rule: `── Alerts · 1 firing ──────`.
enum Rule {
    static func line(width: Int, _ parts: [(String, TextStyle)]) -> ScreenLine {
        var b = LineBuilder(width: width)
        b.text("── ", .label)
        for (index, part) in parts.enumerated() {
            if index > 0 { b.text(" · ", .label) }
            b.text(part.0, part.1)
        }
        b.text(" ", .label)
        b.pad(to: width, with: "─", .label)
        return b.build()
    }
}
