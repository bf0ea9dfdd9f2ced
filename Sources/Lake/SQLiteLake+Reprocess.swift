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
        let chunks = try Row.fetchAll(
            db, sql: "SELECT \(chunkColumns) FROM raw_chunks WHERE first_position > ? ORDER BY first_position LIMIT ?",
            arguments: [after, reprocessChunks])
        var report = ReprocessReport()
        let update = try db.cachedStatement(sql: "UPDATE tracking SET (\(typedColumns)) = (?2, ?3, ?4, ?5, ?6, ?7, ?8) WHERE position = ?1")
            .sqliteStatement
        defer { sqlite3_reset(update) }
        for chunk in chunks {
            let first: Int64 = chunk["first_position"]
            let events = try decode(chunk)
            // A chunk's positions are consecutive: its typed rows are the ones after the position before it.
            let stored = try typedRecords(after: first - 1, limit: events.count, db)
            for (offset, raw) in events.enumerated() {
                let typed = AdmittedEvent(raw).normalized
                report.events += 1
                guard offset >= stored.count || stored[offset].event != typed else { continue }
                report.changed += 1
                sqlite3_reset(update)
                sqlite3_bind_int64(update, 1, first + Int64(offset))
                bind(typed, to: update)
                try step(update, db)
            }
        }
        return (report, chunks.last?["first_position"])
    }
}
