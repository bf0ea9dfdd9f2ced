import CQLClient
import JobPulseCore

extension CassandraLake {
    /// Up to `limit` events after `position`, in position order, taking only events whose
    /// `ingest_id` time is at most `now − safety lag`.
    ///
    /// It queries the position's bucket (the rest of it), then each following bucket up to the
    /// cutoff's, one range query per bucket, paging through big ones, until it has `limit` events.
    /// It never looks at a bucket before the position's, nor at an empty stretch it has already
    /// walked (see ``ScanMemory``).
    public func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] {
        guard limit > 0 else { return [] }
        let start = try startPosition(position)
        let cutoff = layout.cutoff(nowMilliseconds: clock())
        let key = position?.token ?? ""
        var records: [LakeRecord] = []
        var last = start
        for range in layout.walk(after: scans.readStart(key: key, start: start), cutoff: cutoff) {
            last = try await read(range, limit: limit - records.count, into: &records) ?? last
            if records.count >= limit { return records }
        }
        // The walk reached the cutoff: nothing lies between the last event and it.
        let cutoffPosition = CassandraLakePosition(bucket: layout.bucket(of: cutoff), after: cutoff)
        if ScanMemory.precedes(last, cutoffPosition) {
            scans.remember(key: records.isEmpty ? key : last.token, ScanMemory.Entry(through: cutoffPosition, events: 0))
        }
        return records
    }

    public func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord] {
        try await read(after: position, limit: limit).map { NormalizedRecord(position: $0.position, event: AdmittedEvent($0.event).normalized) }
    }

    public func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport {
        throw CassandraLakeError.missingMetadata(keyspace: configuration.keyspace, reason: "reprocess is not available yet")
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
        let cutoff = layout.cutoff(nowMilliseconds: clock())
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

    /// Appends the events of `range`, at most `limit`, and returns the position of the last one.
    private func read(_ range: BucketRange, limit: Int, into records: inout [LakeRecord]) async throws -> CassandraLakePosition? {
        let values: [CQLValue] = [.bigint(range.bucket), .timeuuid(range.after.uuid), .timeuuid(range.upTo.uuid), .int(Int32(clamping: limit))]
        let options = CQLQueryOptions(consistency: configuration.consistency, pageSize: Int32(clamping: min(configuration.pageSize, limit)), isIdempotent: true)
        var last: CassandraLakePosition?
        do {
            for try await row in session.executePages(statements.selectEvents, values, options: options).rows {
                let (record, position) = try record(from: row, bucket: range.bucket)
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

    /// A tracking row as the lake's record: its position is its bucket and `ingest_id`.
    private func record(from row: CQLRow, bucket: Int64) throws -> (LakeRecord, CassandraLakePosition) {
        let values = row.values
        let expected = 1 + CassandraSchema.eventColumns.count
        guard values.count == expected else {
            throw CassandraLakeError.malformedRow(table: schema.tracking, reason: "bucket \(bucket): \(values.count) columns instead of \(expected)")
        }
        guard case .timeuuid(let uuid) = values[0], let id = TimeUUID(uuid) else {
            throw CassandraLakeError.malformedRow(table: schema.tracking, reason: "bucket \(bucket): ingest_id is \(values[0]), not a timeuuid")
        }
        func failure(_ column: String, _ value: CQLValue) -> CassandraLakeError {
            .malformedRow(table: schema.tracking, reason: "bucket \(bucket), ingest_id \(id): \(column) holds \(value)")
        }
        guard case .timestamp(let receivedAt) = values[1] else { throw failure("received_at", values[1]) }
        var fields: [String?] = []
        fields.reserveCapacity(TrackingField.count)
        for (offset, name) in TrackingField.columnNames.enumerated() {
            switch values[2 + offset] {
            case .null: fields.append(nil)
            case .text(let text), .ascii(let text): fields.append(text)
            case let other: throw failure(name, other)
            }
        }
        var extra: [String: String] = [:]
        switch values[expected - 1] {
        case .null: break
        case .map(let entries):
            for entry in entries {
                guard case .text(let name) = entry.key, case .text(let value) = entry.value else { throw failure("extra", values[expected - 1]) }
                extra[name] = value
            }
        case let other: throw failure("extra", other)
        }
        let position = CassandraLakePosition(bucket: bucket, after: id)
        return (LakeRecord(position: LakePosition(position.token), receivedAt: receivedAt, event: RawEvent(values: fields, extra: extra)), position)
    }

    func describe(_ range: BucketRange) -> String {
        "bucket \(range.bucket) (\(Timestamp.iso8601(range.bucket * 1000)))"
    }
}
