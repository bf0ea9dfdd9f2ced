#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    @Suite("Transactions", .timeLimit(.minutes(10)))
    struct TransactionTests {
        struct Abort: Error {}

        @Test func commitMakesChangesVisibleToOthers() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { writer in
                try await writer.execute("CREATE TABLE ledger_commit (id INT PRIMARY KEY, amount INT) ENGINE=InnoDB")
                let count = try await writer.transaction { transaction in
                    try await transaction.execute("INSERT INTO ledger_commit VALUES (?, ?)", [1, 100])
                    try await transaction.execute("INSERT INTO ledger_commit VALUES (?, ?)", [2, -40])
                    return try await transaction.query("SELECT COUNT(*) AS n FROM ledger_commit").first?.int("n")
                }
                #expect(count == 2)
                try await withConnection(server.configuration()) { reader in
                    let total = try await reader.query("SELECT SUM(amount) AS total FROM ledger_commit").first
                    #expect(try total?.int64("total") == 60)
                }
            }
        }

        @Test func throwingRollsBackAndRethrows() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE ledger_rollback (id INT PRIMARY KEY) ENGINE=InnoDB")
                await #expect(throws: Abort.self) {
                    try await connection.transaction { transaction in
                        try await transaction.execute("INSERT INTO ledger_rollback VALUES (?)", [1])
                        throw Abort()
                    }
                }
                #expect(try await connection.query("SELECT id FROM ledger_rollback").isEmpty)
                #expect(try await connection.query("SELECT @@in_transaction AS open").first?.int("open") == 0)
            }
        }

        @Test func serverErrorInsideRollsBack() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE ledger_error (id INT PRIMARY KEY) ENGINE=InnoDB")
                let error = await #expect(throws: MariaDBError.self) {
                    try await connection.transaction { transaction in
                        try await transaction.execute("INSERT INTO ledger_error VALUES (?)", [1])
                        try await transaction.execute("INSERT INTO ledger_error VALUES (?)", [1])
                    }
                }
                #expect(error?.isDuplicateKey == true)
                #expect(try await connection.query("SELECT id FROM ledger_error").isEmpty)
            }
        }
    }
}
#endif
