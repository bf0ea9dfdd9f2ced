import Foundation

/// The statements of the exactly-once commit, kept as SQL files (`SQL/<name>.<dialect>.sql`)
/// because the Spark engine runs the very same text: the two engines cannot drift apart.
enum CommitStatements {
    static func text(_ name: String, _ dialect: SQLDialect) throws -> String {
        let file = "\(name).\(dialect.rawValue)"
        guard let url = Bundle.module.url(forResource: file, withExtension: "sql", subdirectory: "SQL") else {
            throw WarehouseError.missingStatement(file + ".sql")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
