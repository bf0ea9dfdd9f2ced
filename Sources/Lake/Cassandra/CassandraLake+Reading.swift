import CQLClient
import JobPulseClock
import JobPulseCore

extension CassandraLake {
    /// Up to `limit` events after `position`, in position order, taking only events whose
    /// `ingest_id` time is at most `now − safety lag`, with their raw fields.
    ///
    /// It queries the position's bucket (the rest of it), then each following bucket up to the
    /// cutoff's, one range query per bucket, paging through big ones, until it has `limit` events.
    /// It never looks at a bucket before the position's, nor at an empty stretch it has already
    /// walked (see ``ScanMemory``).
    public func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] {
        try await readForward(after: position, limit: limit, with: statements.selectEvents) { try record(from: $0, bucket: $1) }
    }

    /// Like ``read(after:limit:)``, the same buckets, ranges and pages, but a select of only the
    /// `ingest_id` and the typed columns: what the ETL reads, without the raw text.
    public func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord] {
        try await readForward(after: position, limit: limit, with: statements.selectTypedEvents) { try typedRecord(from: $0, bucket: $1) }
    }

    /// The walk of ``read(after:limit:)`` with `statement`, a select of one bucket's range of
    /// `ingest_id` with a limit; `decode` makes a row of a bucket its record and position.
    private func readForward<Record>(
        after position: LakePosition?, limit: Int, with statement: CQLPreparedStatement,
        decode: (CQLRow, Int64) throws -> (Record, CassandraLakePosition)
    ) async throws -> [Record] {
        guard limit > 0 else { return [] }
        let start = try startPosition(position)
        let cutoff = layout.cutoff(nowMilliseconds: clock.now)
        let key = position?.token ?? ""
        var records: [Record] = []
        var last = start
        for range in layout.walk(after: scans.readStart(key: key, start: start), cutoff: cutoff) {
            last = try await read(range, limit: limit - records.count, with: statement, decode: decode, into: &records) ?? last
            if records.count >= limit { return records }
        }
        // The walk reached the cutoff: nothing lies between the last event and it.
        let cutoffPosition = CassandraLakePosition(bucket: layout.bucket(of: cutoff), after: cutoff)
        if ScanMemory.precedes(last, cutoffPosition) {
            scans.remember(key: records.isEmpty ? key : last.token, ScanMemory.Entry(through: cutoffPosition, events: 0))
        }
        return records
    }

    /// How many events lie after `position`, counted the way ``read(after:limit:)`` reads them:
    /// bucket by bucket up to `now − safety lag`, so events still inside the safety lag are not
    /// counted yet.
    ///
    /// One call adds up at most `count_limit` events (whole buckets, so a little more): past that it
    /// returns what it has, a lower bound, and the next call for the same position goes on from
    /// there. A count from the beginning of a big lake is therefore an estimate that grows to the
    /// exact figure over successive calls.
    public func count(after position: LakePosition?) async throws -> Int {
        let start = try startPosition(position)
        let cutoff = layout.cutoff(nowMilliseconds: clock.now)
        let key = position?.token ?? ""
        var memo = scans.countStart(key: key, start: start)
        var countedNow = 0
        var finished = true
        for range in layout.walk(after: memo.through, cutoff: cutoff) {
            if countedNow >= configuration.countLimit {
                finished = false
                break
            }
            let events = try await count(range)
            countedNow += events
            memo.events += events
            memo.through = range.end
        }
        if finished {
            let cutoffPosition = CassandraLakePosition(bucket: layout.bucket(of: cutoff), after: cutoff)
            if ScanMemory.precedes(memo.through, cutoffPosition) { memo.through = cutoffPosition }
        }
        scans.remember(key: key, memo)
        return memo.events
    }

    /// The position a read or count after `position` starts from: the position itself, or the
    /// start of the lake's first bucket.
    func startPosition(_ position: LakePosition?) throws -> CassandraLakePosition {
        guard let position else { return layout.start(ofBucket: firstBucket) }
        let decoded = try CassandraLakePosition(token: position.token)
        try layout.validate(decoded)
        return decoded
    }

    /// Appends the records of `range`, at most `limit`, and returns the position of the last one.
    private func read<Record>(
        _ range: BucketRange, limit: Int, with statement: CQLPreparedStatement,
        decode: (CQLRow, Int64) throws -> (Record, CassandraLakePosition), into records: inout [Record]
    ) async throws -> CassandraLakePosition? {
        let values: [CQLValue] = [.bigint(range.bucket), .timeuuid(range.after.uuid), .timeuuid(range.upTo.uuid), .int(Int32(clamping: limit))]
        let options = CQLQueryOptions(consistency: configuration.consistency, pageSize: Int32(clamping: min(configuration.pageSize, limit)), isIdempotent: true)
        var last: CassandraLakePosition?
        do {
            for try await row in session.executePages(statement, values, options: options).rows {
                let (record, position) = try decode(row, range.bucket)
                records.append(record)
                last = position
            }
            return last
        } catch let error as CassandraLakeError {
            throw error
        } catch {
            throw CassandraLakeError.statementFailed(action: "reading \(describe(range)) of \(schema.tracking)", underlying: error)
        }
    }

    private func count(_ range: BucketRange) async throws -> Int {
        let values: [CQLValue] = [.bigint(range.bucket), .timeuuid(range.after.uuid), .timeuuid(range.upTo.uuid)]
        let options = CQLQueryOptions(consistency: configuration.consistency, isIdempotent: true)
        let rows: CQLRows
        do {
            rows = try await session.executePage(statements.countEvents, values, options: options)
        } catch {
            throw CassandraLakeError.statementFailed(action: "counting \(describe(range)) of \(schema.tracking)", underlying: error)
        }
        guard let count = try? rows.rows.first?.decode(Int64.self, at: 0) else {
            throw CassandraLakeError.malformedRow(table: schema.tracking, reason: "the count of \(describe(range)) has no number")
        }
        return Int(count)
    }

    /// A row of ``CassandraSchema/selectEvents`` as the lake's record: its position is its
    /// bucket and `ingest_id`.
    private func record(from row: CQLRow, bucket: Int64) throws -> (LakeRecord, CassandraLakePosition) {
        let values = row.values
        let reader = TrackingRowReader(table: schema.tracking, bucket: bucket)
        try reader.expect(values, columns: 1 + CassandraSchema.rawColumns.count)
        let id = try reader.ingestID(values[0])
        guard case .timestamp(let receivedAt) = values[1] else { throw reader.malformed(id, column: "received_at", holds: values[1]) }
        let event = try reader.rawEvent(values[2...], id: id)
        let position = CassandraLakePosition(bucket: bucket, after: id)
        return (LakeRecord(position: LakePosition(position.token), receivedAt: receivedAt, event: event), position)
    }

    /// A row of ``CassandraSchema/selectTypedEvents`` as the ETL's record.
    private func typedRecord(from row: CQLRow, bucket: Int64) throws -> (NormalizedRecord, CassandraLakePosition) {
        let values = row.values
        let reader = TrackingRowReader(table: schema.tracking, bucket: bucket)
        try reader.expect(values, columns: 1 + TypedColumns.definitions.count)
        let position = CassandraLakePosition(bucket: bucket, after: try reader.ingestID(values[0]))
        return (NormalizedRecord(position: LakePosition(position.token), event: TypedColumns.event(from: values[1...])), position)
    }

    func describe(_ range: BucketRange) -> String {
        "bucket \(range.bucket) (\(Timestamp.iso8601(range.bucket * 1000)))"
    }
}
