/// The seam between the warehouse's SQL and a database engine. The warehouse is written once,
/// against this; SQLite and MySQL/MariaDB each supply a ``SQLDatabase``.
///
/// Statements always carry their values as bound parameters (`?`), never spliced into the text.

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

/// The SQL a database speaks. Where dialects spell a statement differently, each has its own
/// file, `SQL/<name>.<dialect>.sql`, beside the shared `SQL/<name>.sql` of the statements they
/// agree on (``WarehouseSQL``): that is the only place the dialects differ, and Swift code
/// never branches on the dialect to write SQL.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, mysql
}
