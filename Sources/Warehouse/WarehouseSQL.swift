import Foundation

/// The warehouse's SQL files (`SQL/`): `SQL/<name>.sql` when every dialect runs the same text,
/// `SQL/<name>.<dialect>.sql` where they differ. Each file is read once per process.
///
/// The commit's statements are files because the Spark engine runs the very same text, so the
/// two engines cannot drift apart; the tables, their upgrades and the job dimension's writes are
/// files so that every difference between the dialects is in one kind of place.
public enum WarehouseSQL {
    /// The statements of the exactly-once commit, which the Spark engine runs too.
    public static let commitNames = ["create-state", "take-lease", "take-over-lease", "release-lease", "merge-events", "advance-position"]
    /// The tables (a script of several statements), the catalogue questions and the upgrades (the
    /// rollups' a script too).
    static let schemaNames = [
        "create-tables", "has-column", "has-index", "has-table", "add-unusable-total", "add-last-unusable-position", "drop-events-job", "add-rollups",
        "add-all-time-rollups", "add-hour-totals", "widen-events-hour-index", "add-rollup-hour-filter-indexes",
    ]
    /// The job dimension's writes.
    static let jobNames = ["upsert-job", "refresh-company", "clear-job-export-budget", "default-job-budget"]
    /// The budgets' writes.
    static let budgetNames = ["set-budget", "remove-budget"]
    /// The alerts' state and their webhooks' outbox.
    static let alertNames = ["insert-alert", "update-alert", "enqueue-alert-delivery", "forget-alert-delivery", "postpone-alert-delivery"]
    public static let names = commitNames + schemaNames + jobNames + budgetNames + alertNames

    private static let loaded: Result<[String: [SQLStatement]], WarehouseError> = Result {
        var files: [String: [SQLStatement]] = [:]
        for name in names {
            for dialect in SQLDialect.allCases {
                files["\(name).\(dialect.rawValue)"] = SQLStatement.script(parsing: try source(name, dialect))
            }
        }
        return files
    }.mapError { $0 as? WarehouseError ?? .missingStatement("\($0)") }

    /// The statement of the file `name` in `dialect`, which holds exactly one.
    public static func statement(_ name: String, _ dialect: SQLDialect) throws -> SQLStatement {
        let statements = try script(name, dialect)
        guard statements.count == 1 else { throw WarehouseError.statementCount(file: "\(name).sql", found: statements.count) }
        return statements[0]
    }

    /// The statements of the file `name` in `dialect`, in order.
    public static func script(_ name: String, _ dialect: SQLDialect) throws -> [SQLStatement] {
        guard let statements = try loaded.get()["\(name).\(dialect.rawValue)"] else { throw WarehouseError.missingStatement(name + ".sql") }
        return statements
    }

    private static func source(_ name: String, _ dialect: SQLDialect) throws -> String {
        for file in ["\(name).\(dialect.rawValue)", name] {
            if let url = Bundle.module.url(forResource: file, withExtension: "sql", subdirectory: "SQL") {
                return try String(contentsOf: url, encoding: .utf8)
            }
        }
        throw WarehouseError.missingStatement("\(name).\(dialect.rawValue).sql or \(name).sql")
    }

    /// The folder holding the SQL files, for engines in other processes that run the same text.
    public static func directory() throws -> String {
        guard let url = Bundle.module.url(forResource: "merge-events.mysql", withExtension: "sql", subdirectory: "SQL") else {
            throw WarehouseError.missingStatement("merge-events.mysql.sql")
        }
        return url.deletingLastPathComponent().path
    }
}
