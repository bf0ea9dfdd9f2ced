#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    /// A connection prepares a statement text once and runs it again with one round trip; its
    /// prepared statements go with the session they belong to. Counted by the server.
    @Suite("Statement cache", .timeLimit(.minutes(10)))
    struct StatementCacheTests {
        @Test func aRepeatedStatementIsPreparedOnce() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let before = try await sessionCounter("Com_stmt_prepare", connection)
                for value in 0..<20 {
                    #expect(try await connection.query("SELECT ? + 1 AS next", [.int64(Int64(value))]).first?.int("next") == value + 1)
                }
                // The first reading prepared the counter's own query; the second reuses it.
                #expect(try await sessionCounter("Com_stmt_prepare", connection) - before == 1)
            }
        }

        @Test func aStatementStillWorksAfterItFailed() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE cache_unique (n INT PRIMARY KEY) ENGINE=InnoDB")
                let insert = "INSERT INTO cache_unique VALUES (?)"
                try await connection.execute(insert, [1])
                await #expect(throws: MariaDBError.self) { try await connection.execute(insert, [1]) }
                try await connection.execute(insert, [2])
                #expect(try await connection.query("SELECT COUNT(*) AS n FROM cache_unique").first?.int("n") == 2)
            }
        }

        @Test func aProcedureCallRunsAgain() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE PROCEDURE thrice(IN n INT) SELECT n * 3 AS tripled")
                for value in 1...3 {
                    #expect(try await connection.query("CALL thrice(?)", [.int64(Int64(value))]).first?.int("tripled") == value * 3)
                }
            }
        }

        /// The server ends the session (as after a restart or a network loss): the statements
        /// prepared in it are gone, and after a reconnect the same texts are prepared anew.
        @Test func aLostSessionTakesItsStatementsAlong() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let query = "SELECT ? * 2 AS doubled"
                #expect(try await connection.query(query, [21]).first?.int("doubled") == 42)
                let id = try #require(try await connection.query("SELECT CONNECTION_ID() AS id").first).int64("id")
                try await server.runAsRoot("KILL CONNECTION \(id)")
                let lost = await #expect(throws: MariaDBError.self) { try await connection.query(query, [1]) }
                #expect(lost?.isConnectionLost == true, "\(String(describing: lost))")
                try await connection.reconnect()
                #expect(try await connection.query(query, [4]).first?.int("doubled") == 8)
            }
        }

        /// Texts that differ by data (an IN list per length) do not pile up on the server.
        @Test func manyTextsKeepABoundedNumberPrepared() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let before = try await sessionCounter("Com_stmt_close", connection)
                for count in 1...150 {
                    let marks = Array(repeating: "?", count: count).joined(separator: ", ")
                    let rows = try await connection.query("SELECT 1 AS one FROM DUAL WHERE 1 IN (\(marks))", Array(repeating: .int64(1), count: count))
                    #expect(rows.count == 1)
                }
                #expect(try await sessionCounter("Com_stmt_close", connection) - before >= 150 - 64)
            }
        }

        private func sessionCounter(_ name: String, _ connection: MariaDBConnection) async throws -> Int {
            let row = try #require(
                try await connection.query(
                    "SELECT VARIABLE_VALUE AS value FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = ?", [.string(name)]
                ).first)
            return Int(try row.string("value")) ?? -1
        }
    }
}
#endif
