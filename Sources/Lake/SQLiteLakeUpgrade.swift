import Foundation
import GRDB
import JobPulseCore

/// Upgrades an SQLite lake of layout 1 (the 29 raw fields as text columns of `tracking`) to
/// layout 2 (typed rows and compressed raw chunks, see ``SQLiteLake``), in place.
///
/// Every event keeps its position, so a warehouse's committed position still means the same
/// events. The work is a series of transactions, each safe to interrupt: the old table is renamed
/// `tracking_v1`, its rows are copied in order into the new tables a slice at a time (a restart
/// resumes after the last copied position), then it is dropped and the file compacted.
public struct SQLiteLakeUpgrade {
    public static let currentLayout = 2
    /// Events copied per transaction.
    static let sliceEvents = 50_000

    public struct Progress: Sendable {
        public var copied: Int
        public var total: Int
    }

    let pool: DatabasePool
    let progress: (@Sendable (Progress) -> Void)?

    /// The layout of the lake in `db`: 2 for an empty file (it will be created in the current layout).
    static func layout(_ db: Database) throws -> Int {
        if try db.tableExists("tracking_v1") { return 1 }
        if try db.tableExists("tracking"), try db.columns(in: "tracking").contains(where: { $0.name == "ts" }) { return 1 }
        guard try db.tableExists("lake_meta"), let stored = try String.fetchOne(db, sql: "SELECT value FROM lake_meta WHERE name = 'layout'") else {
            return currentLayout
        }
        return Int(stored) ?? Int.max
    }

    func run() throws {
        try pool.write { db in
            if try !db.tableExists("tracking_v1") {
                try db.execute(sql: "ALTER TABLE tracking RENAME TO tracking_v1")
            }
            try SQLiteLake.createTables(db)
        }
        let total = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tracking_v1") ?? 0 }
        var copied = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tracking") ?? 0 }
        while true {
            let slice = try pool.write { db in try copySlice(db) }
            guard slice > 0 else { break }
            copied += slice
            progress?(Progress(copied: copied, total: total))
        }
        try pool.write { db in
            // Positions never go back, even for events later removed by hand from the old table.
            if let old = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'tracking_v1'") {
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'tracking'", arguments: [old])
            }
            try db.execute(sql: "DROP TABLE tracking_v1")
            try db.execute(sql: "INSERT OR REPLACE INTO lake_meta (name, value) VALUES ('layout', ?)", arguments: [String(Self.currentLayout)])
        }
        // Gives back the old table's pages; the upgrade is complete without it.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
    }

    /// Copies the next events of `tracking_v1` (after the last one copied) and answers how many.
    /// Events of one write (consecutive positions, one arrival time) share chunks, cut as this
    /// release cuts a write's.
    private func copySlice(_ db: Database) throws -> Int {
        let after = try Int64.fetchOne(db, sql: "SELECT coalesce(max(position), 0) FROM tracking") ?? 0
        let columns = TrackingField.columnNames.joined(separator: ", ")
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT position, received_at, \(columns), extra FROM tracking_v1 WHERE position > ? ORDER BY position LIMIT ?
                """, arguments: [after, Self.sliceEvents])
        var copied = 0
        var run: (first: Int64, receivedAt: Int64, events: [AdmittedEvent])?
        func flush() throws {
            guard let current = run else { return }
            for range in SQLiteLake.chunkRanges(current.events) {
                try SQLiteLake.insert(
                    try SQLiteLake.CompressedChunk(current.events, range), at: current.first + Int64(range.lowerBound), receivedAt: current.receivedAt,
                    events: current.events, into: db)
            }
            run = nil
        }
        while let row = try rows.next() {
            let position: Int64 = row["position"]
            let receivedAt: Int64 = row["received_at"]
            let values: [String?] = TrackingField.columnNames.map { row[$0] }
            let extraJSON: String? = row["extra"]
            let extra = try extraJSON.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            let event = AdmittedEvent(RawEvent(values: values, extra: extra))
            if let current = run, current.receivedAt == receivedAt, current.first + Int64(current.events.count) == position {
                run?.events.append(event)
            } else {
                try flush()
                run = (position, receivedAt, [event])
            }
            copied += 1
        }
        try flush()
        return copied
    }
}
