import Foundation
import GRDB
import GRDBSQLite
import JobPulseCore

/// The embedded lake: one SQLite file in WAL mode.
///
/// A position is the row id of table `tracking`, declared AUTOINCREMENT so that an id is never
/// reused. SQLite has a single writer, so transactions commit in row-id order: a reader that has
/// seen row id N will never later find a new row below N. That is what makes "read after the
/// committed position" complete for this lake.
///
/// Intake keys live in `intake_keys`, written in the transaction of the events they cover, with
/// the receipt as JSON and the time they were recorded; keys older than the window are deleted
/// by the next keyed write (a range on an index, so it costs nothing while there are none).
public final class SQLiteLake: EventLake {
    public let kind = "sqlite"
    public let path: String
    /// How long an intake key is remembered.
    public let keyWindow: Duration
    private let pool: DatabasePool
    private let clock: @Sendable () -> Int64

    /// The current time in epoch milliseconds.
    public static let systemClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Opens (creating when needed) the lake at `path`.
    ///
    /// - Parameters:
    ///   - keyWindow: how long an intake key is remembered (``IntakeKey/defaultWindow``, 24 h).
    ///   - clock: the lake's time in epoch milliseconds, for `received_at` and the key window.
    public init(path: String, keyWindow: Duration = IntakeKey.defaultWindow, clock: @escaping @Sendable () -> Int64 = systemClock) throws {
        self.path = path
        self.keyWindow = keyWindow
        self.clock = clock
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // Accepted events must survive a power loss once the writer has been answered.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in try Self.migrate(db) }
        } catch {
            throw StorageError.cannotOpen(kind: "lake", path: path, underlying: error)
        }
    }

    static let columnList = TrackingField.columnNames.joined(separator: ", ")

    private static func migrate(_ db: Database) throws {
        let columns = TrackingField.columnNames.map { "\($0) TEXT" }.joined(separator: ", ")
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS tracking (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                received_at INTEGER NOT NULL,
                \(columns),
                extra TEXT
            );
            CREATE TABLE IF NOT EXISTS quarantine (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                received_at INTEGER NOT NULL,
                origin TEXT NOT NULL,
                location INTEGER NOT NULL,
                reason TEXT NOT NULL,
                raw TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS lake_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS intake_keys (
                key TEXT PRIMARY KEY,
                received_at INTEGER NOT NULL,
                receipt TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS intake_keys_by_time ON intake_keys (received_at);
            """)
        try db.execute(
            sql: "INSERT OR IGNORE INTO lake_meta (name, value) VALUES ('identity', ?)",
            arguments: ["sqlite:" + UUID().uuidString.lowercased()]
        )
    }

    public func identity() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM lake_meta WHERE name = 'identity'") ?? "sqlite"
        }
    }

    public func write(_ events: [RawEvent], rejections: [Rejection]) async throws {
        _ = try await write([LakeWrite(events: events, rejections: rejections)])
    }

    /// All the writes in one transaction. A keyed write first looks its key up: a key recorded
    /// within the window (before, or by an earlier write of this transaction) makes it a replay;
    /// otherwise the key is recorded with its receipt beside its rows, and a failure anywhere
    /// rolls back keys and rows alike.
    public func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome] {
        guard writes.contains(where: { !$0.events.isEmpty || !$0.rejections.isEmpty || $0.key != nil }) else {
            return writes.map { _ in .stored }
        }
        let now = clock()
        let expiredUpTo = now - keyWindow.wholeMilliseconds
        let placeholders = Array(repeating: "?", count: TrackingField.count + 2).joined(separator: ", ")
        let insertEvent = "INSERT INTO tracking (received_at, \(Self.columnList), extra) VALUES (\(placeholders))"
        let prepared = try writes.map { write in
            (write: write,
             extras: try write.events.map { $0.extra.isEmpty ? nil : try Self.encodeExtra($0.extra) },
             receipt: try write.key.map { _ in try Self.encodeReceipt(write.receipt) })
        }
        return try await pool.write { db in
            if writes.contains(where: { $0.key != nil }) {
                try db.execute(sql: "DELETE FROM intake_keys WHERE received_at <= ?", arguments: [expiredUpTo])
            }
            var outcomes: [LakeWriteOutcome] = []
            outcomes.reserveCapacity(writes.count)
            for (write, extras, receipt) in prepared {
                if let key = write.key, let receipt {
                    if let first = try String.fetchOne(db, sql: "SELECT receipt FROM intake_keys WHERE key = ?", arguments: [key.text]) {
                        outcomes.append(.replayed(try Self.decodeReceipt(first)))
                        continue
                    }
                    try db.execute(sql: "INSERT INTO intake_keys (key, received_at, receipt) VALUES (?, ?, ?)",
                                   arguments: [key.text, now, receipt])
                }
                try Self.insert(write.events, extras: extras, sql: insertEvent, receivedAt: now, into: db)
                let quarantine = try db.cachedStatement(
                    sql: "INSERT INTO quarantine (received_at, origin, location, reason, raw) VALUES (?, ?, ?, ?, ?)")
                for rejection in write.rejections {
                    try quarantine.execute(arguments: [now, rejection.origin, rejection.location, rejection.reason, rejection.raw])
                }
                outcomes.append(.stored)
            }
            return outcomes
        }
    }

    /// Bound and stepped directly: the collector's hot path, 31 values a row.
    private static func insert(_ events: [RawEvent], extras: [String?], sql: String, receivedAt: Int64, into db: Database) throws {
        guard !events.isEmpty else { return }
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        defer { sqlite3_reset(handle) }
        for (event, extra) in zip(events, extras) {
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, receivedAt)
            for (offset, value) in event.values.enumerated() {
                bind(value, at: Int32(offset + 2), to: handle)
            }
            bind(extra, at: Int32(TrackingField.count + 2), to: handle)
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }

    private static func bind(_ text: String?, at index: Int32, to handle: OpaquePointer?) {
        guard let text else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_text(handle, index, text, -1, transient)
    }

    /// SQLite copies the text before the call returns (SQLITE_TRANSIENT, a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] {
        let start = try Self.rowID(position)
        return try await pool.read { db in
            let rows = try Row.fetchCursor(db, sql: Self.readSQL(columns: Self.columnList + ", extra"), arguments: [start, limit])
            var records: [LakeRecord] = []
            records.reserveCapacity(min(limit, 65_536))
            while let row = try rows.next() {
                var values: [String?] = []
                values.reserveCapacity(TrackingField.count)
                for index in 0..<TrackingField.count { values.append(row[index + 2]) }
                let extraJSON: String? = row[TrackingField.count + 2]
                let event = RawEvent(values: values, extra: try extraJSON.map(Self.decodeExtra) ?? [:])
                records.append(LakeRecord(position: LakePosition(String(row[0] as Int64)), receivedAt: row[1], event: event))
            }
            return records
        }
    }

    /// Reads only `fields`, stepping SQLite's statement directly: this is the ETL's hot path,
    /// where building full rows would cost more than the rest of a batch.
    public func read(after position: LakePosition?, limit: Int, fields: [TrackingField]) async throws -> [LakeRecord] {
        let start = try Self.rowID(position)
        let sql = Self.readSQL(columns: fields.map(\.rawValue).joined(separator: ", "))
        let indexes = fields.map(\.index)
        return try await pool.read { db in
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments([start, limit])
            let handle = statement.sqliteStatement
            var records: [LakeRecord] = []
            records.reserveCapacity(min(limit, 65_536))
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
                var values = [String?](repeating: nil, count: TrackingField.count)
                for (column, index) in indexes.enumerated() {
                    let column = Int32(column + 2)
                    guard let text = sqlite3_column_text(handle, column) else { continue }
                    let length = Int(sqlite3_column_bytes(handle, column))
                    values[index] = String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
                }
                records.append(LakeRecord(position: LakePosition(String(sqlite3_column_int64(handle, 0))),
                                          receivedAt: sqlite3_column_int64(handle, 1), event: RawEvent(values: values)))
            }
            return records
        }
    }

    /// The read of one batch: a range search on the primary key, whose cost is the number of
    /// rows returned, never the size of the table.
    static func readSQL(columns: String) -> String {
        "SELECT position, received_at, \(columns) FROM tracking WHERE position > ? ORDER BY position LIMIT ?"
    }

    /// SQLite's plan for the ETL's read, for checking that a batch never scans the table.
    public func readPlan() async throws -> String {
        let sql = Self.readSQL(columns: Normalization.fieldsRead.map(\.rawValue).joined(separator: ", "))
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [0, 1])
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    public func count(after position: LakePosition?) async throws -> Int {
        let start = try Self.rowID(position)
        return try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM tracking WHERE position > ?", arguments: [start]) ?? 0
        }
    }

    public func quarantine(limit: Int) async throws -> (rows: [QuarantinedRow], total: Int) {
        try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine") ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, received_at, origin, location, reason, raw FROM quarantine ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map { row in
                QuarantinedRow(
                    id: row[0], receivedAt: row[1],
                    rejection: Rejection(origin: row[2], location: row[3], reason: row[4], raw: row[5])
                )
            }
            return (rows, total)
        }
    }

    private static func rowID(_ position: LakePosition?) throws -> Int64 {
        guard let position else { return 0 }
        guard let id = Int64(position.token), id >= 0 else { throw StorageError.foreignPosition(position.token, lake: "sqlite") }
        return id
    }

    private static func encodeExtra(_ extra: [String: String]) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(extra), as: UTF8.self)
    }

    private static func encodeReceipt(_ receipt: IntakeReceipt) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(receipt), as: UTF8.self)
    }

    private static func decodeReceipt(_ json: String) throws -> IntakeReceipt {
        try JSONDecoder().decode(IntakeReceipt.self, from: Data(json.utf8))
    }

    private static func decodeExtra(_ json: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
