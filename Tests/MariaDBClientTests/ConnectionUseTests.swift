#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    @Suite("Connection use", .timeLimit(.minutes(10)))
    struct ConnectionUseTests {
        @Test func concurrentCallsOnOneConnectionAreSerialized() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let sums = try await withThrowingTaskGroup(of: (Int64, Int64).self) { group in
                    for value in Int64(0)..<40 {
                        group.addTask {
                            let row = try await connection.query("SELECT ? + 1000 AS sum", [.int64(value)]).first
                            return (value, try #require(row).int64("sum"))
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
                #expect(sums.count == 40)
                #expect(sums.allSatisfy { $0.value == $0.key + 1000 })
            }
        }

        @Test func procedureResultsLeaveTheConnectionUsable() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE PROCEDURE twice(IN n INT) SELECT n * 2 AS doubled")
                let rows = try await connection.query("CALL twice(?)", [21])
                #expect(try rows.first?.int("doubled") == 42)
                #expect(try await connection.query("SELECT 7 AS seven").first?.int("seven") == 7)
            }
        }

        @Test func droppedConnectionIsClosedOnTheServer() async throws {
            let server = try SharedServer.require()
            let connectionID = try await connectAndDrop(server.configuration())
            try await withConnection(server.configuration()) { observer in
                let deadline = ContinuousClock.now + .seconds(90)
                var remaining = 1
                while remaining > 0 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    remaining =
                        try await observer.query(
                            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?",
                            [.int64(connectionID)]
                        ).first?.int("n") ?? 0
                }
                #expect(remaining == 0)
            }
        }

        /// Connects, reads the server's id for the session, and lets the connection go without close().
        private func connectAndDrop(_ configuration: MariaDBConfiguration) async throws -> Int64 {
            let connection = MariaDBConnection(configuration: configuration)
            try await connection.connect()
            return try #require(try await connection.query("SELECT CONNECTION_ID() AS id").first).int64("id")
        }
    }
}
#endif
