import Synchronization

/// What this lake instance has already learned by walking buckets, so that it never walks the
/// same stretch twice: "after position P, up to `through`, there are `events` events".
///
/// Without it an ETL polling an idle lake every second would query every empty bucket since the
/// last event on every poll. The facts stay true because a walk only ever covers events up to a
/// read's cutoff, which the safety lag makes final (see `docs/cassandra.md`). A few entries are
/// enough (the ETL's position, the lake's start, a status page's position); the oldest go first.
final class ScanMemory: Sendable {
    struct Entry: Sendable {
        var through: CassandraLakePosition
        var events: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    static let capacity = 16
    private let state = Mutex(State())

    /// Where a read after `start` (keyed by `key`) may begin: past a stretch known to be empty.
    func readStart(key: String, start: CassandraLakePosition) -> CassandraLakePosition {
        guard let entry = entry(key), entry.events == 0, Self.precedes(start, entry.through) else { return start }
        return entry.through
    }

    /// Where a count after `start` may resume, with the events counted up to there.
    func countStart(key: String, start: CassandraLakePosition) -> Entry {
        guard let entry = entry(key), Self.precedes(start, entry.through) else { return Entry(through: start, events: 0) }
        return entry
    }

    func remember(key: String, _ entry: Entry) {
        state.withLock { state in
            if state.entries.updateValue(entry, forKey: key) == nil {
                state.order.append(key)
                if state.order.count > Self.capacity {
                    state.entries[state.order.removeFirst()] = nil
                }
            }
        }
    }

    private func entry(_ key: String) -> Entry? {
        state.withLock { $0.entries[key] }
    }

    /// Whether `a` comes before `b` in the lake's order.
    static func precedes(_ a: CassandraLakePosition, _ b: CassandraLakePosition) -> Bool {
        a.bucket != b.bucket ? a.bucket < b.bucket : a.after < b.after
    }
}
