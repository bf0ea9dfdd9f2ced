import GRDB
import GRDBSQLite
import JobPulseCore

extension SQLiteLake {
    /// Chunks reprocessed per transaction.
    static let reprocessChunks = 16

    /// Reads the raw chunks in order, types every event again with the current rules, and updates
    /// the typed rows that differ, a few chunks per transaction (an interrupted run is simply run
    /// again: it finds nothing left to change in what it did).
    public func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport {
        var report = ReprocessReport()
        var after: Int64 = 0
        while true {
            let start = after
            let step = try await pool.write { db in try Self.reprocessChunks(after: start, db) }
            guard let last = step.lastChunk else { break }
            after = last
            report.events += step.report.events
            report.changed += step.report.changed
            progress(report.events)
        }
        return report
    }

    private static func reprocessChunks(after: Int64, _ db: Database) throws -> (report: ReprocessReport, lastChunk: Int64?) {
        let chunks = try Row.fetchAll(db, sql: """
            SELECT first_position, events, received_at, raw_bytes, data FROM raw_chunks
            WHERE first_position > ? ORDER BY first_position LIMIT ?
            """, arguments: [after, reprocessChunks])
        var report = ReprocessReport()
        let update = try db.cachedStatement(sql: """
            UPDATE tracking SET kind = ?, job_id = ?, publisher_id = ?, campaign_id = ?, group_id = ?, bid_micros = ?, event_time = ?
            WHERE position = ?
            """)
        for chunk in chunks {
            let first: Int64 = chunk["first_position"]
            let events = try decode(chunk)
            let stored = try typedRows(from: first, count: events.count, db)
            for (offset, raw) in events.enumerated() {
                let position = first + Int64(offset)
                let typed = AdmittedEvent(raw).normalized
                report.events += 1
                guard stored[position] != .some(typed) else { continue }
                report.changed += 1
                try update.execute(arguments: [typed?.kind.code ?? 0, typed?.jobID ?? 0, typed?.publisherID ?? 0, typed?.campaignID ?? 0,
                                               typed?.groupID ?? 0, typed?.bidMicros ?? 0, typed?.eventTime, position])
            }
        }
        return (report, chunks.last?["first_position"])
    }

    /// The typed rows of positions `first ..< first + count`, by position.
    private static func typedRows(from first: Int64, count: Int, _ db: Database) throws -> [Int64: NormalizedEvent?] {
        let statement = try db.makeStatement(sql: """
            SELECT position, kind, job_id, publisher_id, campaign_id, group_id, bid_micros, event_time
            FROM tracking WHERE position >= ? AND position < ?
            """)
        try statement.setArguments([first, first + Int64(count)])
        let handle = statement.sqliteStatement
        var rows: [Int64: NormalizedEvent?] = [:]
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
            rows[sqlite3_column_int64(handle, 0)] = .some(typedEvent(handle))
        }
    }
}
