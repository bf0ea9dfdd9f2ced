/// Cuts rows into unlogged batches that each touch one partition.
///
/// A single-partition batch is applied as one mutation by the replicas that own it, so it costs
/// no more than one insert and escapes Cassandra's batch size limits, which apply to batches
/// spanning partitions. Each batch still stays under `maxRows` and about `maxBytes`, to keep
/// mutations and frames small. Partitions keep the order of their first row, rows their order.
struct PartitionBatches<Key: Hashable, Row> {
    struct Batch {
        var key: Key
        var rows: [Row]
    }

    static func make(_ rows: [(key: Key, row: Row, bytes: Int)], maxRows: Int, maxBytes: Int) -> [Batch] {
        var partitions: [Key: [(row: Row, bytes: Int)]] = [:]
        var order: [Key] = []
        for entry in rows {
            if partitions[entry.key] == nil { order.append(entry.key) }
            partitions[entry.key, default: []].append((entry.row, entry.bytes))
        }
        var batches: [Batch] = []
        for key in order {
            var current = Batch(key: key, rows: [])
            var bytes = 0
            for entry in partitions[key]! {
                if !current.rows.isEmpty, current.rows.count >= maxRows || bytes + entry.bytes > maxBytes {
                    batches.append(current)
                    current = Batch(key: key, rows: [])
                    bytes = 0
                }
                current.rows.append(entry.row)
                bytes += entry.bytes
            }
            batches.append(current)
        }
        return batches
    }
}

extension PartitionBatches.Batch: Sendable where Key: Sendable, Row: Sendable {}
