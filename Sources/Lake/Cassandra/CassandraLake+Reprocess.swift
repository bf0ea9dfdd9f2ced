import CQLClient
import JobPulseClock
import JobPulseCore

extension CassandraLake {
    /// Types every event again from its raw fields with the current rules, and rewrites the typed
    /// columns of the events whose values differ.
    ///
    /// It walks every bucket from the lake's first to the present one, whole, paging through each
    /// with one range query: as a read does, but without the safety lag, since an event written
    /// while the walk goes on was typed by its writer. The rewrites are unlogged batches of one
    /// partition, like writes, and bind only the cells that differ (the others *unset*), so an
    /// event whose values are right costs nothing but its read. Every rewrite sets fixed values,
    /// so an interrupted run is simply run again. `progress` is told the events read so far after
    /// each bucket that held some.
    public func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport {
        let presentBucket = layout.bucket(ofUnixSeconds: TimeUUID.floorDivide(clock.now, 1000))
        var report = ReprocessReport()
        for range in layout.walk(after: layout.start(ofBucket: firstBucket), cutoff: layout.lastID(inBucket: presentBucket)) {
            let before = report.events
            try await reprocess(range, into: &report)
            if report.events > before { progress(report.events) }
        }
        return report
    }

    private func reprocess(_ range: BucketRange, into report: inout ReprocessReport) async throws {
        let values: [CQLValue] = [.bigint(range.bucket), .timeuuid(range.after.uuid), .timeuuid(range.upTo.uuid)]
        let options = CQLQueryOptions(consistency: configuration.consistency, pageSize: Int32(clamping: configuration.pageSize), isIdempotent: true)
        let reader = TrackingRowReader(table: schema.tracking, bucket: range.bucket)
        let rawCount = TrackingField.count + 1  // the fields, then extra
        var rewrites: [[CQLValue]] = []
        do {
            for try await row in session.executePages(statements.selectEventsToReprocess, values, options: options).rows {
                let values = row.values
                try reader.expect(values, columns: 1 + rawCount + TypedColumns.definitions.count)
                let id = try reader.ingestID(values[0])
                let raw = try reader.rawEvent(values[1...rawCount], id: id)
                let stored = Array(values[(1 + rawCount)...])
                let typed = TypedColumns.values(of: AdmittedEvent(raw).normalized)
                report.events += 1
                guard typed != stored else { continue }
                report.changed += 1
                rewrites.append(zip(stored, typed).map { $0 == $1 ? .unset : $1 } + [.bigint(range.bucket), .timeuuid(id.uuid)])
                if rewrites.count == Self.batchRows {
                    try await rewrite(rewrites, in: range)
                    rewrites.removeAll(keepingCapacity: true)
                }
            }
        } catch let error as CassandraLakeError {
            throw error
        } catch {
            throw CassandraLakeError.statementFailed(action: "reading \(describe(range)) of \(schema.tracking) to reprocess it", underlying: error)
        }
        if !rewrites.isEmpty { try await rewrite(rewrites, in: range) }
    }

    /// Sends the typed values of some events of one bucket as one batch.
    private func rewrite(_ rows: [[CQLValue]], in range: BucketRange) async throws {
        let batch = CQLBatch(kind: .unlogged, statements: rows.map { .prepared(statements.updateTypedValues, values: $0) })
        do {
            try await session.batch(batch, options: CQLBatchOptions(consistency: configuration.consistency, isIdempotent: true))
        } catch {
            throw CassandraLakeError.statementFailed(
                action: "rewriting the typed values of \(rows.count) events of \(describe(range)) in \(schema.tracking)", underlying: error)
        }
    }
}
