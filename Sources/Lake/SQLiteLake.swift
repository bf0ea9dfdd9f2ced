import Foundation
import GRDB
import GRDBSQLite
import JobPulseClock
import JobPulseCore

/// The embedded lake: one SQLite file in WAL mode.
///
/// Layout 2 keeps each event twice, in two tables written in one transaction:
/// - `tracking`: one row per event with the typed values the rules gave it at admission (kind,
///   four ids, bid in micros, event time). The ETL reads only this table.
/// - `raw_chunks`: the raw fields as they came, consecutive events encoded column by column
///   (``RawEventChunk``) and deflated, one row per chunk of at most 4,096 events of one write.
///   A chunk covers positions `first_position ..< first_position + events`.
///
/// A position is the row id of `tracking`, declared AUTOINCREMENT so that an id is never
/// reused. SQLite has a single writer, so transactions commit in row-id order: a reader that has
/// seen row id N will never later find a new row below N. That is what makes "read after the
/// committed position" complete for this lake.
///
/// Layout 1 (releases before the typed lake) held the 29 raw fields as text columns of
/// `tracking`; `migrate` upgrades it in place (``SQLiteLakeUpgrade``), keeping every position.
///
/// Intake keys live in `intake_keys`, written in the transaction of the events they cover, with
/// the receipt as JSON and the time they were recorded; keys older than the window are deleted
/// by the next keyed write (a range on an index, so it costs nothing while there are none).
public final class SQLiteLake: EventLake {
    public let kind = "sqlite"
    /// Counts are exact.
    public let countLimit: Int? = nil
    public let path: String
    /// How long an intake key is remembered.
    public let keyWindow: Duration
    let pool: DatabasePool
    private let clock: WallClock

    /// Opens (creating when needed) the lake at `path`.
    ///
    /// - Parameters:
    ///   - keyWindow: how long an intake key is remembered (``IntakeKey/defaultWindow``, 24 h).
    ///   - clock: the lake's time in epoch milliseconds, for `received_at` and the key window.
    ///   - upgrade: whether a lake of an earlier layout is upgraded (`migrate`) or refused.
    ///   - progress: told how the upgrade advances, if there is one.
    public init(
        path: String, keyWindow: Duration = IntakeKey.defaultWindow, clock: WallClock = .system,
        upgrade: Bool = false, progress: (@Sendable (SQLiteLakeUpgrade.Progress) -> Void)? = nil
    ) throws {
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
        } catch {
            throw StorageError.cannotOpen(kind: "lake", path: path, underlying: error)
        }
        let layout = try pool.read(SQLiteLakeUpgrade.layout)
        if layout < SQLiteLakeUpgrade.currentLayout {
            guard upgrade else { throw StorageError.needsUpgrade(kind: "lake", path: path, layout: layout) }
            try SQLiteLakeUpgrade(pool: pool, progress: progress).run()
        } else if layout > SQLiteLakeUpgrade.currentLayout {
            throw StorageError.newerLayout(kind: "lake", path: path, layout: layout)
        }
        do {
            try pool.write { db in try Self.createTables(db) }
        } catch {
            throw StorageError.cannotOpen(kind: "lake", path: path, underlying: error)
        }
    }

    /// The tables of the current layout, where missing.
    static func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS tracking (
                    position INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind INTEGER NOT NULL,
                    job_id INTEGER NOT NULL,
                    publisher_id INTEGER NOT NULL,
                    campaign_id INTEGER NOT NULL,
                    group_id INTEGER NOT NULL,
                    bid_micros INTEGER NOT NULL,
                    event_time INTEGER
                );
                CREATE TABLE IF NOT EXISTS raw_chunks (
                    first_position INTEGER PRIMARY KEY,
                    events INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    raw_bytes INTEGER NOT NULL,
                    data BLOB NOT NULL
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
        try db.execute(
            sql: "INSERT OR IGNORE INTO lake_meta (name, value) VALUES ('layout', ?)",
            arguments: [String(SQLiteLakeUpgrade.currentLayout)])
    }

    public func identity() async throws -> String {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM lake_meta WHERE name = 'identity'") ?? "sqlite"
        }
    }

    /// All the writes in one transaction. A keyed write first looks its key up: a key recorded
    /// within the window (before, or by an earlier write of this transaction) makes it a replay;
    /// otherwise the key is recorded with its receipt beside its rows, and a failure anywhere
    /// rolls back keys and rows alike.
    ///
    /// The raw chunks are encoded and compressed before the transaction, on every core, so the
    /// single writer holds the file only to insert.
    public func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome] {
        guard writes.contains(where: { !$0.events.isEmpty || !$0.rejections.isEmpty || $0.key != nil }) else {
            return writes.map { _ in .stored }
        }
        let now = clock.now
        let expiredUpTo = now - keyWindow.wholeMilliseconds
        let chunks = try await Self.compressChunks(of: writes)
        let receipts = try writes.map { write in try write.key.map { _ in try Self.encodeReceipt(write.receipt) } }
        return try await pool.write { db in
            if writes.contains(where: { $0.key != nil }) {
                try db.execute(sql: "DELETE FROM intake_keys WHERE received_at <= ?", arguments: [expiredUpTo])
            }
            var next = try Self.nextPosition(db)
            var outcomes: [LakeWriteOutcome] = []
            outcomes.reserveCapacity(writes.count)
            for (index, write) in writes.enumerated() {
                if let key = write.key, let receipt = receipts[index] {
                    if let first = try String.fetchOne(db, sql: "SELECT receipt FROM intake_keys WHERE key = ?", arguments: [key.text]) {
                        outcomes.append(.replayed(try Self.decodeReceipt(first)))
                        continue
                    }
                    try db.execute(
                        sql: "INSERT INTO intake_keys (key, received_at, receipt) VALUES (?, ?, ?)",
                        arguments: [key.text, now, receipt])
                }
                for chunk in chunks[index] {
                    try Self.insert(chunk, at: next, receivedAt: now, events: write.events, into: db)
                    next += Int64(chunk.events.count)
                }
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

    /// The events of one chunk (a range of its write's events) and their raw fields, compressed.
    struct CompressedChunk: Sendable {
        var events: Range<Int>
        var rawBytes: Int
        var data: [UInt8]

        /// Encodes and deflates the raw fields of `events[range]`.
        init(_ events: [AdmittedEvent], _ range: Range<Int>) throws {
            let encoded = RawEventChunk.encode(events[range].map(\.raw))
            self.events = range
            rawBytes = encoded.count
            data = try Deflate.compress(encoded)
        }
    }

    /// The typed columns of `tracking`, in the order every statement lists and binds them.
    static let typedColumns = "kind, job_id, publisher_id, campaign_id, group_id, bid_micros, event_time"
    /// The columns of `raw_chunks` that ``decode(_:)`` reads.
    static let chunkColumns = "first_position, events, received_at, raw_bytes, data"

    /// Each write's events cut into chunks (``chunkRanges(_:)``), encoded and deflated concurrently.
    static func compressChunks(of writes: [LakeWrite]) async throws -> [[CompressedChunk]] {
        try await withThrowingTaskGroup(of: (Int, Int, CompressedChunk).self) { group in
            var counts: [Int] = []
            for (index, write) in writes.enumerated() {
                let ranges = chunkRanges(write.events)
                counts.append(ranges.count)
                for (order, range) in ranges.enumerated() {
                    group.addTask {
                        return (index, order, try CompressedChunk(write.events, range))
                    }
                }
            }
            var chunks = counts.map { [CompressedChunk?](repeating: nil, count: $0) }
            for try await (index, order, chunk) in group { chunks[index][order] = chunk }
            return chunks.map { $0.map { $0! } }
        }
    }

    /// The position the next event takes: one past the greatest ever given (AUTOINCREMENT's own
    /// counter), so that positions are never reused even after an upgrade.
    static func nextPosition(_ db: Database) throws -> Int64 {
        (try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'tracking'") ?? 0) + 1
    }

    /// One chunk: its raw record and a typed row per event, at consecutive positions from `first`.
    /// The typed rows are bound and stepped directly: this is the collector's and the import's hot path.
    static func insert(_ chunk: CompressedChunk, at first: Int64, receivedAt: Int64, events: [AdmittedEvent], into db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO raw_chunks (first_position, events, received_at, raw_bytes, data) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [first, chunk.events.count, receivedAt, chunk.rawBytes, Data(chunk.data)])
        let handle = try db.cachedStatement(sql: insertTypedSQL).sqliteStatement
        defer { sqlite3_reset(handle) }
        for (offset, event) in events[chunk.events].enumerated() {
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, first + Int64(offset))
            bind(event.normalized, to: handle)
            try step(handle, db)
        }
    }

    static let insertTypedSQL = "INSERT INTO tracking (position, \(typedColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"

    /// Binds the typed values at parameters 2-8 (the position being 1); an event the rules could
    /// not read is stored as kind *other*, unattributed, with no event time.
    static func bind(_ event: NormalizedEvent?, to handle: OpaquePointer?) {
        sqlite3_bind_int64(handle, 2, Int64(event?.kind.code ?? 0))
        sqlite3_bind_int64(handle, 3, Int64(event?.jobID ?? 0))
        sqlite3_bind_int64(handle, 4, Int64(event?.publisherID ?? 0))
        sqlite3_bind_int64(handle, 5, Int64(event?.campaignID ?? 0))
        sqlite3_bind_int64(handle, 6, Int64(event?.groupID ?? 0))
        sqlite3_bind_int64(handle, 7, event?.bidMicros ?? 0)
        if let time = event?.eventTime { sqlite3_bind_int64(handle, 8, time) } else { sqlite3_bind_null(handle, 8) }
    }

    /// The raw events after `position`, from the chunks that hold them.
    public func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] {
        let start = try Self.rowID(position)
        return try await pool.read { db in
            // The chunk holding the position after `start`, if any, and every later one, in order.
            let chunks = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Self.chunkColumns) FROM raw_chunks
                    WHERE first_position >= coalesce((SELECT max(first_position) FROM raw_chunks WHERE first_position <= ?), 0)
                    ORDER BY first_position
                    """, arguments: [start + 1])
            var records: [LakeRecord] = []
            while records.count < limit, let chunk = try chunks.next() {
                let first: Int64 = chunk["first_position"]
                for (offset, event) in try Self.decode(chunk).enumerated() where first + Int64(offset) > start {
                    guard records.count < limit else { break }
                    records.append(LakeRecord(position: LakePosition(String(first + Int64(offset))), receivedAt: chunk["received_at"], event: event))
                }
            }
            return records
        }
    }

    /// One chunk's raw events; a chunk that does not decode to its recorded size and count is an error naming it.
    static func decode(_ chunk: Row) throws -> [RawEvent] {
        let first: Int64 = chunk["first_position"]
        let size: Int = chunk["raw_bytes"]
        let data: Data = chunk["data"]
        do {
            guard size >= 0, size <= maxChunkBytes else { throw DamagedChunk(reason: "raw size \(size)") }
            let events = try RawEventChunk.decode(try Deflate.decompress(Array(data), size: size))
            guard events.count == chunk["events"] as Int else { throw DamagedChunk(reason: "\(events.count) events, expected \(chunk["events"] as Int)") }
            return events
        } catch {
            throw StorageError.damagedChunk(firstPosition: first, reason: "\(error)")
        }
    }

    private struct DamagedChunk: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The largest raw chunk read back: far above any chunk written (see ``chunkRanges(_:)``), so
    /// only a damaged size trips it, before a buffer of that size is allocated.
    static let maxChunkBytes = 1 << 30

    /// Field text after which a chunk is closed even with fewer than 4,096 events: events of a
    /// megabyte (the most a CSV record or an NDJSON line may hold) then share no chunk with more
    /// than eight others, and no chunk's raw size approaches ``maxChunkBytes``.
    static let chunkTextBytes = 8 << 20

    /// A write's events cut into consecutive chunks of at most ``RawEventChunk/maxEvents`` events
    /// and about ``chunkTextBytes`` of field text.
    static func chunkRanges(_ events: [AdmittedEvent]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var text = 0
        for index in events.indices {
            text +=
                events[index].raw.values.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
                + events[index].raw.extra.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            if index + 1 - start == RawEventChunk.maxEvents || text >= chunkTextBytes {
                ranges.append(start..<index + 1)
                start = index + 1
                text = 0
            }
        }
        if start < events.count { ranges.append(start..<events.count) }
        return ranges
    }

    /// Reads the typed values only: this is the ETL's hot path.
    public func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord] {
        let start = try Self.rowID(position)
        return try await pool.read { db in try Self.typedRecords(after: start, limit: limit, db) }
    }

    /// Up to `limit` typed rows after `start`, stepping SQLite's statement directly: building
    /// rows would cost more than the rest of a batch.
    static func typedRecords(after start: Int64, limit: Int, _ db: Database) throws -> [NormalizedRecord] {
        let statement = try db.makeStatement(sql: readTypedSQL)
        try statement.setArguments([start, limit])
        let handle = statement.sqliteStatement
        var records: [NormalizedRecord] = []
        records.reserveCapacity(min(limit, 65_536))
        while try step(handle, db) == SQLITE_ROW {
            records.append(NormalizedRecord(position: LakePosition(String(sqlite3_column_int64(handle, 0))), event: typedEvent(handle)))
        }
        return records
    }

    /// Steps `handle` once; answers `SQLITE_ROW` or `SQLITE_DONE`, and throws SQLite's error otherwise.
    @discardableResult
    static func step(_ handle: OpaquePointer?, _ db: Database) throws -> Int32 {
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW || code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return code
    }

    /// The read of one batch: a range search on the primary key, whose cost is the number of
    /// rows returned, never the size of the table.
    static let readTypedSQL = "SELECT position, \(typedColumns) FROM tracking WHERE position > ? ORDER BY position LIMIT ?"

    /// The typed event in columns 1-7 of the current row; `nil` without an event time, or with
    /// values no release writes (a lake written by other means), which the ETL then reports.
    static func typedEvent(_ handle: OpaquePointer?) -> NormalizedEvent? {
        guard sqlite3_column_type(handle, 7) != SQLITE_NULL, let kind = EventKind(code: Int(sqlite3_column_int64(handle, 1))) else { return nil }
        func id(_ column: Int32) -> Int32? { Int32(exactly: sqlite3_column_int64(handle, column)) }
        guard let job = id(2), let publisher = id(3), let campaign = id(4), let group = id(5) else { return nil }
        return NormalizedEvent(
            kind: kind, jobID: job, publisherID: publisher, campaignID: campaign, groupID: group,
            bidMicros: sqlite3_column_int64(handle, 6), eventTime: sqlite3_column_int64(handle, 7))
    }

    /// SQLite's plan for the ETL's read, for checking that a batch never scans the table.
    public func readPlan() async throws -> String {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Self.readTypedSQL, arguments: [0, 1])
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    /// Exact, and read from the chunks' event counts rather than by counting rows: a chunk holds
    /// every position of its range, so the count costs one row per chunk after `position`, not
    /// one per event (the ETL asks after every batch, `/healthz` on every probe).
    public func count(after position: LakePosition?) async throws -> Int {
        let start = try Self.rowID(position)
        return try await pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(max(0, min(events, first_position + events - 1 - ?1))), 0) FROM raw_chunks
                    WHERE first_position >= coalesce((SELECT max(first_position) FROM raw_chunks WHERE first_position <= ?1), 0)
                    """, arguments: [start]) ?? 0
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
                    id: try row.decode(forColumn: "id"), receivedAt: try row.decode(forColumn: "received_at"),
                    rejection: Rejection(
                        origin: try row.decode(forColumn: "origin"), location: try row.decode(forColumn: "location"),
                        reason: try row.decode(forColumn: "reason"), raw: try row.decode(forColumn: "raw"))
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

    private static func encodeReceipt(_ receipt: IntakeReceipt) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(receipt), as: UTF8.self)
    }

    private static func decodeReceipt(_ json: String) throws -> IntakeReceipt {
        try JSONDecoder().decode(IntakeReceipt.self, from: Data(json.utf8))
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
