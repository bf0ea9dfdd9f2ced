import GRDB

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

    private struct Session: SQLSession {
        let db: Database

        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            let statement = try db.cachedStatement(sql: sql)
            return try Row.fetchAll(statement, arguments: Self.bind(arguments)).map { row in
                row.databaseValues.map(Self.value)
            }
        }

        func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
            if arguments.isEmpty, sql.contains(";") {
                try db.execute(sql: sql)
                return db.changesCount
            }
            let statement = try db.cachedStatement(sql: sql)
            try statement.execute(arguments: Self.bind(arguments))
            return db.changesCount
        }

        private static func bind(_ values: [SQLValue]) -> StatementArguments {
            StatementArguments(values.map { value -> DatabaseValue in
                switch value {
                case .null: .null
                case .int(let v): v.databaseValue
                case .double(let v): v.databaseValue
                case .text(let v): v.databaseValue
                }
            })
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
