import Foundation
import JobPulseWarehouse

/// The MySQL/MariaDB server's own statement counters (`SHOW GLOBAL STATUS`), read before and
/// after a backfill to count what the warehouse side of the ETL sent: prepared statements,
/// their executions, and every statement (`Questions`).
///
/// The counters are global, so the server should serve the benchmark alone. Reading them costs
/// statements too; ``readerCost(url:)`` measures that cost so it can be taken off.
struct ServerStatementCounts: Sendable {
    var prepares: Int64 = 0
    var executes: Int64 = 0
    var questions: Int64 = 0

    static func - (lhs: Self, rhs: Self) -> Self {
        Self(prepares: lhs.prepares - rhs.prepares, executes: lhs.executes - rhs.executes, questions: lhs.questions - rhs.questions)
    }

    /// Reads the counters through a connection of its own.
    static func read(url: String) async throws -> ServerStatementCounts {
        #if MySQL
        let database = try MySQLDatabase(url: url, readConnections: 1)
        let status = try await globalStatus(
            database, "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute', 'Questions')")
        try await database.close()
        var counts = ServerStatementCounts()
        counts.prepares = status["com_stmt_prepare"] ?? 0
        counts.executes = status["com_stmt_execute"] ?? 0
        counts.questions = status["questions"] ?? 0
        return counts
        #else
        throw BenchError("counting MySQL statements needs a jobpulse built with --traits MySQL")
        #endif
    }

    /// What one ``read(url:)`` adds to the counters: two reads in a row, nothing in between.
    static func readerCost(url: String) async throws -> ServerStatementCounts {
        let first = try await read(url: url)
        return try await read(url: url) - first
    }

    /// Statements per batch and per 1,000 grains of a backfill whose counters moved by `self`.
    func add(to figures: inout BenchFigures, batches: Int, grains: Int) {
        for (name, value) in [
            ("prepared (Com_stmt_prepare)", prepares), ("executed (Com_stmt_execute)", executes),
            ("all statements (Questions)", questions),
        ] {
            figures.add("\(name) per batch", Double(value) / Double(max(batches, 1)), "statements")
            figures.add("\(name) per 1,000 grains", Double(value) * 1000 / Double(max(grains, 1)), "statements")
        }
    }
}

#if MySQL
/// The values a `SHOW GLOBAL STATUS` statement (`show`, constant text) returns, keyed by
/// lowercased name.
func globalStatus(_ database: MySQLDatabase, _ show: String) async throws -> [String: Int64] {
    let rows = try await database.read { session in try session.query(show) }
    var values: [String: Int64] = [:]
    for row in rows { values[try row.text("Variable_name").lowercased()] = try row.int("Value") }
    return values
}
#endif
