/// The seam between the warehouse's SQL and a database engine. The warehouse is written once,
/// against this; SQLite and MySQL/MariaDB each supply a ``SQLDatabase``.
///
/// Statements always carry their values as bound parameters (`?`), never spliced into the text.

/// A value bound to or read from a statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v): Int64(exactly: v.rounded())
        case .text(let s): Int64(s)
        case .null: nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .text(let s): Double(s)
        case .null: nil
        }
    }

    public var text: String? {
        switch self {
        case .text(let s): s
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .null: nil
        }
    }
}

extension SQLValue {
    public init(_ value: Int32?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}

/// One result row, by column position.
public typealias SQLRow = [SQLValue]

/// Statements inside one transaction (or one read). Calls block: a ``SQLDatabase`` runs the
/// whole body on a thread of its own, never on an event loop.
public protocol SQLSession {
    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
}

extension SQLSession {
    public func query(_ sql: String) throws -> [SQLRow] { try query(sql, []) }
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
}

/// A database the warehouse can live in.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Runs `body` on a consistent read-only view.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Releases connections.
    func close() async throws
}

/// Where SQLite and MySQL spell things differently. Everything else is shared text.
public enum SQLDialect: String, Sendable {
    case sqlite, mysql

    /// `INSERT … ON CONFLICT … DO UPDATE` / `INSERT … ON DUPLICATE KEY UPDATE`: `assignments`
    /// maps each column to update onto an expression where `NEW(col)` stands for the value
    /// being inserted and a bare column name for the stored one.
    func upsert(table: String, columns: [String], key: [String], assignments: [(String, String)]) -> String {
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders)"
        switch self {
        case .sqlite:
            let set = assignments.map { "\($0.0) = \(Self.resolve($0.1, new: { "excluded.\($0)" }))" }
            return head + " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET " + set.joined(separator: ", ")
        case .mysql:
            let set = assignments.map { "\($0.0) = \(Self.resolve($0.1, new: { "VALUES(\($0))" }))" }
            return head + " ON DUPLICATE KEY UPDATE " + set.joined(separator: ", ")
        }
    }

    /// Null-safe equality.
    var nullSafeEquals: String { self == .sqlite ? "IS" : "<=>" }

    /// Whether `table` has an index named `index`, asked of the database's own catalogue.
    func hasIndex(table: String, index: String, in session: any SQLSession) throws -> Bool {
        try catalogueHas(
            table, index, in: session,
            sqlite: "SELECT COUNT(*) FROM pragma_index_list(?) WHERE name = ?",
            mysql: "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?")
    }

    /// Whether `table` already has `column`, asked of the database's own catalogue.
    func hasColumn(table: String, column: String, in session: any SQLSession) throws -> Bool {
        try catalogueHas(
            table, column, in: session,
            sqlite: "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?",
            mysql: "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")
    }

    /// Runs this dialect's catalogue query for a table and a name, which counts matches.
    private func catalogueHas(_ table: String, _ name: String, in session: any SQLSession, sqlite: String, mysql: String) throws -> Bool {
        let rows = try session.query(self == .sqlite ? sqlite : mysql, [.text(table), .text(name)])
        return (rows.first?.first?.int ?? 0) > 0
    }

    private static func resolve(_ expression: String, new: (String) -> String) -> String {
        var result = ""
        var rest = Substring(expression)
        while let range = rest.firstRange(of: "NEW(") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let close = after.firstIndex(of: ")")!
            result += new(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }
}
