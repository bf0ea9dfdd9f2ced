import GRDB
import GRDBSQLite

/// A warehouse database in one SQLite file (WAL mode: the dashboard reads while the ETL writes).
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await pool.write { db in try body(Session(db: db)) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await pool.read { db in try body(Session(db: db)) }
    }

    public func close() async throws { try pool.close() }

    /// Copies the write-ahead log into the database file and empties it; SQLite otherwise does
    /// this now and then during a later commit.
    public func checkpoint() async throws {
        try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Calls `observe` with the text of every statement the writing connection starts from now
    /// on, whoever runs it (SQLite's own trace), or stops that when `observe` is nil: the count
    /// of statements a commit costs is read here. The rollups' triggers run inside the statements
    /// that fire them, so SQLite's reports of them (`-- TRIGGER name`, then each statement of its
    /// body after `-- `) are not statements here.
    public func traceWrites(_ observe: (@Sendable (String) -> Void)?) async throws {
        try await pool.writeWithoutTransaction { db in
            if let observe {
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event, !Self.isTriggerProgram(statement.sql) { observe(statement.sql) }
                }
            } else {
                db.trace(options: [])
            }
        }
    }

    static func isTriggerProgram(_ sql: String) -> Bool {
        ["-- TRIGGER ", "-- INSERT INTO rollup_", "-- UPDATE rollup_"].contains { sql.hasPrefix($0) }
    }

    private struct Session: SQLSession {
        let db: Database

        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            let statement = try db.cachedStatement(sql: sql)
            let columns = statement.columnNames
            return try Row.fetchAll(statement, arguments: StatementArguments(arguments.map(Self.databaseValue))).map { row in
                SQLRow(columns: columns, values: row.databaseValues.map(Self.value))
            }
        }

        /// Binds and steps SQLite's statement directly: the ETL's merge binds 17 values per grain,
        /// and building GRDB's argument values for them cost more than the statement itself.
        func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
            if arguments.isEmpty, sql.contains(";") {
                try db.execute(sql: sql)
                return db.changesCount
            }
            let handle = try db.cachedStatement(sql: sql).sqliteStatement
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            defer { sqlite3_reset(handle) }
            for (offset, value) in arguments.enumerated() {
                let index = Int32(offset + 1)
                let code: Int32 =
                    switch value {
                    case .null: sqlite3_bind_null(handle, index)
                    case .int(let v): sqlite3_bind_int64(handle, index, v)
                    case .double(let v): sqlite3_bind_double(handle, index, v)
                    case .text(let v): sqlite3_bind_text(handle, index, v, -1, Self.transient)
                    }
                guard code == SQLITE_OK else { throw error(code) }
            }
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw error(code) }
            }
            return Int(sqlite3_changes(db.sqliteConnection))
        }

        private func error(_ code: Int32) -> DatabaseError {
            DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }

        /// SQLite copies the text before the call returns (SQLITE_TRANSIENT, a macro Swift cannot import).
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        private static func databaseValue(_ value: SQLValue) -> DatabaseValue {
            switch value {
            case .null: .null
            case .int(let v): v.databaseValue
            case .double(let v): v.databaseValue
            case .text(let v): v.databaseValue
            }
        }

        private static func value(_ value: DatabaseValue) -> SQLValue {
            switch value.storage {
            case .null: .null
            case .int64(let v): .int(v)
            case .double(let v): .double(v)
            case .string(let v): .text(v)
            case .blob(let data): .text(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
