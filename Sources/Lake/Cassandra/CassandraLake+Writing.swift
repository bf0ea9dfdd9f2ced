import CQLClient
import JobPulseCore

extension CassandraLake {
    /// Most rows in one batch, and about the most bytes of field text.
    static let batchRows = 250
    static let batchBytes = 512 * 1024

    /// Stores events and rejected rows with prepared inserts, in unlogged batches of one partition
    /// each, sent one after the other at the URL's consistency: when this returns, every row is
    /// durable at that consistency.
    ///
    /// Cassandra has no transaction across partitions, so a failure part-way cannot undo the
    /// batches already acknowledged. It throws ``CassandraLakeError/writeInterrupted`` saying how
    /// many rows were stored, may have been, and were not sent, and the caller counts nothing of
    /// the write as accepted. Every statement has a fixed primary key, so a batch that the client
    /// sends again (on another node, after a lost connection) never stores a row twice.
    public func write(_ events: [RawEvent], rejections: [Rejection]) async throws {
        guard !events.isEmpty || !rejections.isEmpty else { return }
        let now = clock()
        let ids = ingestIDs.next(events.count + rejections.count, atUnixMilliseconds: now)
        let received = CQLValue.timestamp(now)

        let eventRows = zip(events, ids).map { event, id -> (key: Int64, row: [CQLValue], bytes: Int) in
            let bucket = layout.bucket(of: id)
            var values: [CQLValue] = [.bigint(bucket), .timeuuid(id.uuid), received]
            values.reserveCapacity(TrackingField.count + 4)
            var bytes = 64
            for field in event.values {
                values.append(field.map(CQLValue.text) ?? .unset)
                bytes += field?.utf8.count ?? 0
            }
            values.append(event.extra.isEmpty ? .unset : .textMap(event.extra))
            bytes += event.extra.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            return (bucket, values, bytes)
        }
        let day = TimeUUID.floorDivide(now, 86_400_000)
        let rejectionRows = zip(rejections, ids.dropFirst(events.count)).map { rejection, id -> (key: Int64, row: [CQLValue], bytes: Int) in
            let values: [CQLValue] = [
                .date(UInt32(truncatingIfNeeded: day + (1 << 31))), .timeuuid(id.uuid), received,
                .text(rejection.origin), .bigint(Int64(rejection.location)), .text(rejection.reason), .text(rejection.raw),
            ]
            return (day, values, 64 + rejection.origin.utf8.count + rejection.reason.utf8.count + rejection.raw.utf8.count)
        }

        var batches: [(statement: CQLPreparedStatement, rows: [[CQLValue]])] = []
        for batch in PartitionBatches.make(eventRows, maxRows: Self.batchRows, maxBytes: Self.batchBytes) {
            batches.append((statements.insertEvent, batch.rows))
        }
        for batch in PartitionBatches.make(rejectionRows, maxRows: Self.batchRows, maxBytes: Self.batchBytes) {
            batches.append((statements.insertRejection, batch.rows))
        }

        let total = events.count + rejections.count
        var acknowledged = 0
        let options = CQLBatchOptions(consistency: configuration.consistency, isIdempotent: true)
        for batch in batches {
            do {
                try await session.batch(CQLBatch(kind: .unlogged, statements: batch.rows.map { .prepared(batch.statement, values: $0) }), options: options)
            } catch {
                throw CassandraLakeError.writeInterrupted(
                    events: events.count, rejections: rejections.count, acknowledgedRows: acknowledged,
                    unconfirmedRows: batch.rows.count, unsentRows: total - acknowledged - batch.rows.count, underlying: error
                )
            }
            acknowledged += batch.rows.count
        }
    }
}
