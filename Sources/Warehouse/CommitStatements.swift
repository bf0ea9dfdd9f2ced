import Foundation

/// The statements of the exactly-once commit, kept as SQL files (`SQL/<name>.<dialect>.sql`)
/// because the Spark engine runs the very same text: the two engines cannot drift apart.
public enum CommitStatements {
    static func text(_ name: String, _ dialect: SQLDialect) throws -> String {
        let file = "\(name).\(dialect.rawValue)"
        guard let url = Bundle.module.url(forResource: file, withExtension: "sql", subdirectory: "SQL") else {
            throw WarehouseError.missingStatement(file + ".sql")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

extension CommitStatements {
    /// The folder holding the SQL files, for engines in other processes that run the same text.
    public static func directory() throws -> String {
        guard let url = Bundle.module.url(forResource: "merge-events.mysql", withExtension: "sql", subdirectory: "SQL") else {
            throw WarehouseError.missingStatement("merge-events.mysql.sql")
        }
        return url.deletingLastPathComponent().path
    }
}
