import MonitorKitCore

/// What a `clear` removed.
struct ClearResult: Sendable, Equatable {
    var memoryItems: Int
    var diskItems: Int
    var totalItems: Int

    init(memoryItems: Int, diskItems: Int, totalItems: Int) {
        self.memoryItems = memoryItems
        self.diskItems = diskItems
        self.totalItems = totalItems
    }

    /// From the `clear` action's answer or the API's `cleared_items`.
    init(fields: Fields) {
        memoryItems = fields["memory_items"]?.intValue ?? 0
        diskItems = fields["disk_items"]?.intValue ?? 0
        totalItems = fields["total_items"]?.intValue ?? max(memoryItems, diskItems)
    }
}
