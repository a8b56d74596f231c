import MonitorKitCore
import Synchronization

/// A small source with the cache's `stats` and `clear` actions, so the view runs against a real
/// runtime context in-process.
final class TestCacheSource: Source {
    let id = "cache"
    let sampleName = "cache.stats"
    let actions = ["stats", "clear"]
    private let items = Mutex((memory: 120, disk: 345))
    let clears = Atomic<Int>(0)

    func fields() -> Fields {
        let (memory, disk) = items.withLock { $0 }
        return Fixtures.cacheStats(memory: memory, disk: disk, time: Event.now())
    }

    func sample() async throws -> Fields { fields() }

    func perform(action: String, arguments: Fields) async throws -> Fields {
        switch action {
        case "stats":
            return fields()
        case "clear":
            clears.add(1, ordering: .relaxed)
            let (memory, disk) = items.withLock { items in
                defer { items = (0, 0) }
                return items
            }
            return ["memory_items": .int(memory), "disk_items": .int(disk), "total_items": .int(disk)]
        default:
            throw SourceActionError.unknownAction(source: id, action: action)
        }
    }
}
