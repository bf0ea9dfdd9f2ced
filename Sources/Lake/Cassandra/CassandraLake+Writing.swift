import CQLClient
import JobPulseClock
import JobPulseCore

extension CassandraLake {
    /// Most rows in one batch, and about the most bytes of field text.
    static let batchRows = 250
    static let batchBytes = 512 * 1024

    /// Stores events (their raw fields and the typed values admission gave them, in one row each)
    /// and rejected rows with prepared inserts, in unlogged batches of one partition each, sent
    /// one after the other at the URL's consistency: when this returns, every row is durable at
    /// that consistency.
    ///
    /// Cassandra has no transaction across partitions, so a failure part-way cannot undo the
    /// batches already acknowledged. It throws ``CassandraLakeError/writeInterrupted`` saying how
    /// many rows were stored, may have been, and were not sent, and the caller counts nothing of
    /// the write as accepted. Every statement has a fixed primary key, so a batch that the client
    /// sends again (on another node, after a lost connection) never stores a row twice.
    func write(_ events: [AdmittedEvent], rejections: [Rejection]) async throws {
        let total = events.count + rejections.count
        guard total > 0 else { return }
        let now = clock.now
        let ids = ingestIDs.next(total, atUnixMilliseconds: now)
        try await send(LakeWrite(events: events, rejections: rejections), rows: Array(0..<total), ids: ids, receivedAt: now, sendUntil: nil)
    }

    /// Unkeyed writes share no transaction here, so they go as one plain write, as the group
    /// commit sent them before keys existed; each keyed write then runs its claim
    /// (`CassandraLake+IntakeKeys.swift`), one after the other, so that a key given twice in one
    /// group is stored by the first and replayed to the second.
    public func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome] {
        let plain = writes.filter { $0.key == nil }
        try await write(plain.flatMap(\.events), rejections: plain.flatMap(\.rejections))
        var outcomes: [LakeWriteOutcome] = []
        for write in writes {
            if let key = write.key {
                outcomes.append(try await writeKeyed(write, key: key))
            } else {
                outcomes.append(.stored)
            }
        }
        return outcomes
    }

    /// Sends some rows of `intake`: `rows` are indexes into its events followed by its rejections,
    /// `ids` their ingest (or quarantine) ids, `receivedAt` the instant those ids were made.
    /// With `sendUntil`, no batch is sent once the lake's clock has reached it (the claim's lease).
    func send(_ intake: LakeWrite, rows: [Int], ids: [TimeUUID], receivedAt: Int64, sendUntil deadline: Int64?) async throws {
        let received = CQLValue.timestamp(receivedAt)
        let day = TimeUUID.floorDivide(receivedAt, 86_400_000)
        var eventRows: [(key: Int64, row: [CQLValue], bytes: Int)] = []
        var rejectionRows: [(key: Int64, row: [CQLValue], bytes: Int)] = []
        for (index, id) in zip(rows, ids) {
            if index < intake.events.count {
                let event = intake.events[index]
                let bucket = layout.bucket(of: id)
                var values: [CQLValue] = [.bigint(bucket), .timeuuid(id.uuid), received]
                values.reserveCapacity(TrackingField.count + 4 + TypedColumns.definitions.count)
                var bytes = 64
                for field in event.raw.values {
                    values.append(field.map(CQLValue.text) ?? .unset)
                    bytes += field?.utf8.count ?? 0
                }
                values.append(event.raw.extra.isEmpty ? .unset : .textMap(event.raw.extra))
                bytes += event.raw.extra.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
                // The typed values the rules gave the event at admission; no event time is
                // unset, like an empty field, so that it leaves no tombstone.
                for value in TypedColumns.values(of: event.normalized) {
                    values.append(value == .null ? .unset : value)
                }
                eventRows.append((bucket, values, bytes))
            } else {
                let rejection = intake.rejections[index - intake.events.count]
                let values: [CQLValue] = [
                    Self.dayValue(day), .timeuuid(id.uuid), received,
                    .text(rejection.origin), .bigint(Int64(rejection.location)), .text(rejection.reason), .text(rejection.raw),
                ]
                rejectionRows.append((day, values, 64 + rejection.origin.utf8.count + rejection.reason.utf8.count + rejection.raw.utf8.count))
            }
        }

        var batches: [(statement: CQLPreparedStatement, rows: [[CQLValue]])] = []
        for batch in PartitionBatches.make(eventRows, maxRows: Self.batchRows, maxBytes: Self.batchBytes) {
            batches.append((statements.insertEvent, batch.rows))
        }
        for batch in PartitionBatches.make(rejectionRows, maxRows: Self.batchRows, maxBytes: Self.batchBytes) {
            batches.append((statements.insertRejection, batch.rows))
        }

        var acknowledged = 0
        let options = CQLBatchOptions(consistency: configuration.consistency, isIdempotent: true)
        for batch in batches {
            let interrupted = { (unconfirmed: Int, error: any Error) in
                CassandraLakeError.writeInterrupted(
                    events: intake.events.count, rejections: intake.rejections.count, acknowledgedRows: acknowledged,
                    unconfirmedRows: unconfirmed, unsentRows: rows.count - acknowledged - unconfirmed, underlying: error)
            }
            if let deadline, clock.now >= deadline { throw interrupted(0, CassandraLakeError.claimLapsed) }
            do {
                try await session.batch(CQLBatch(kind: .unlogged, statements: batch.rows.map { .prepared(batch.statement, values: $0) }), options: options)
            } catch {
                throw interrupted(batch.rows.count, error)
            }
            acknowledged += batch.rows.count
        }
    }

    /// A quarantine partition key: days since the epoch, offset by 2^31 as CQL's `date` is.
    static func dayValue(_ day: Int64) -> CQLValue {
        .date(UInt32(truncatingIfNeeded: day + (1 << 31)))
    }
}
