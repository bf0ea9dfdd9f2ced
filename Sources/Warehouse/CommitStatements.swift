import Foundation

/// One statement of the exactly-once commit, as both engines run it: its text with a `?` for each
/// parameter, and the parameters' names in that order.
///
/// The files name their parameters (`:position`, `:owner`…), so that the order lives in one
/// place, the file: callers bind by name, and a name used twice is bound twice. A statement without
/// names (`merge-events`, whose `VALUES` row is repeated per grain) keeps positional markers, in
/// the order its header lists.
public struct CommitStatement: Sendable, Equatable {
    public let text: String
    public let parameterNames: [String]

    /// Reads `source`: `:name` (a letter or `_`, then letters, digits or `_`) becomes `?`, except
    /// in `--` comments and quoted literals, which are kept as they are.
    public init(parsing source: String) {
        var text = ""
        var names: [String] = []
        var characters = source[...]
        while let character = characters.first {
            if character == "-", characters.dropFirst().first == "-" {
                let line = characters.prefix { $0 != "\n" }
                text += line
                characters = characters[line.endIndex...]
            } else if character == "'" || character == "\"" {
                let rest = characters.dropFirst()
                let literal = rest.firstIndex(of: character).map { characters[...$0] } ?? characters
                text += literal
                characters = characters[literal.endIndex...]
            } else if character == ":", let first = characters.dropFirst().first, first.isLetter || first == "_" {
                let name = characters.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                names.append(String(name))
                text += "?"
                characters = characters[name.endIndex...]
            } else {
                text.append(character)
                characters = characters.dropFirst()
            }
        }
        self.text = text
        self.parameterNames = names
    }

    /// The values for the markers, in order; throws when a name has no value.
    func arguments(_ values: [String: SQLValue], statement name: String) throws -> [SQLValue] {
        try parameterNames.map { parameter in
            guard let value = values[parameter] else { throw WarehouseError.unboundParameter(statement: name, parameter: parameter) }
            return value
        }
    }
}

/// The statements of the exactly-once commit, kept as SQL files because the Spark engine runs the
/// very same text, so the two engines cannot drift apart: `SQL/<name>.sql` when every dialect runs
/// the same text, `SQL/<name>.<dialect>.sql` where they differ. Read once per process.
public enum CommitStatements {
    public static let names = ["create-state", "take-lease", "take-over-lease", "release-lease", "merge-events", "advance-position"]

    private static let loaded: Result<[String: CommitStatement], WarehouseError> = Result {
        var statements: [String: CommitStatement] = [:]
        for name in names {
            for dialect in [SQLDialect.sqlite, .mysql] {
                statements["\(name).\(dialect.rawValue)"] = CommitStatement(parsing: try source(name, dialect))
            }
        }
        return statements
    }.mapError { $0 as? WarehouseError ?? .missingStatement("\($0)") }

    /// The statement `name` in `dialect`.
    static func statement(_ name: String, _ dialect: SQLDialect) throws -> CommitStatement {
        guard let statement = try loaded.get()["\(name).\(dialect.rawValue)"] else { throw WarehouseError.missingStatement(name + ".sql") }
        return statement
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
