/// A counter's increase per second over a trailing window, for rules with `rate:`. A reading
/// below the one before it is a reset (the source restarted or its stats were reset): all of it
/// counts as new, as Prometheus's `rate()` treats a counter reset.
struct RateWindow: Sendable {
    let seconds: Double
    private var readings: [(time: Double, value: Double)] = []

    init(_ window: Duration) {
        seconds = window.seconds
    }

    /// Takes a reading; the rate over the window, or `nil` until two readings span some time.
    mutating func rate(adding value: Double, at time: Double) -> Double? {
        readings.append((time, value))
        // Keep one reading at or before the window's start, so the window is spanned whole.
        while readings.count > 2, readings[1].time <= time - seconds {
            readings.removeFirst()
        }
        guard let first = readings.first, time > first.time else { return nil }
        var increase = 0.0
        for index in readings.indices.dropFirst() {
            let step = readings[index].value - readings[index - 1].value
            increase += step >= 0 ? step : readings[index].value
        }
        return increase / (time - first.time)
    }
}
