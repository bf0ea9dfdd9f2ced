#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    @Suite("Typed errors", .timeLimit(.minutes(10)))
    struct ErrorTests {
        @Test func duplicateKeyCarriesNumberAndSQLState() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE unique_names (name VARCHAR(20) PRIMARY KEY)")
                try await connection.execute("INSERT INTO unique_names VALUES (?)", ["taken"])
                let error = try #require(
                    await #expect(throws: MariaDBError.self) {
                        try await connection.execute("INSERT INTO unique_names VALUES (?)", ["taken"])
                    }
                )
                #expect(error.number == 1062)
                #expect(error.sqlState == "23000")
                #expect(error.message.contains("taken"))
                #expect(error.isDuplicateKey)
                #expect(!error.isRetryable)
                #expect(!error.isConnectionLost)
            }
        }

        @Test func syntaxErrorAndUnknownTable() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let syntax = await #expect(throws: MariaDBError.self) { try await connection.query("SELEC 1") }
                #expect(syntax?.number == 1064)
                #expect(syntax?.sqlState == "42000")
                let unknown = await #expect(throws: MariaDBError.self) {
                    try await connection.query("SELECT * FROM no_such_table")
                }
                #expect(unknown?.number == 1146)
                #expect(unknown?.sqlState == "42S02")
            }
        }

        @Test func lockWaitTimeoutIsRetryable() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { holder in
                try await withConnection(server.configuration()) { waiter in
                    try await holder.execute("CREATE TABLE contended (id INT PRIMARY KEY, n INT) ENGINE=InnoDB")
                    try await holder.execute("INSERT INTO contended VALUES (?, ?)", [1, 0])
                    try await waiter.execute("SET SESSION innodb_lock_wait_timeout = 1")
                    let error = try await holder.transaction { holder in
                        try await holder.execute("UPDATE contended SET n = n + 1 WHERE id = ?", [1])
                        return await #expect(throws: MariaDBError.self) {
                            try await waiter.execute("UPDATE contended SET n = n + 10 WHERE id = ?", [1])
                        }
                    }
                    #expect(error?.number == 1205)
                    #expect(error?.isDeadlockOrLockTimeout == true)
                    #expect(error?.isRetryable == true)
                    #expect(error?.isConnectionLost == false)
                    #expect(try await waiter.execute("UPDATE contended SET n = n + 10 WHERE id = ?", [1]) == 1)
                }
            }
        }

        @Test func deadlockIsRetryable() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { first in
                try await withConnection(server.configuration()) { second in
                    try await first.execute("CREATE TABLE crossed (id INT PRIMARY KEY, n INT) ENGINE=InnoDB")
                    try await first.execute("INSERT INTO crossed VALUES (?, ?), (?, ?)", [1, 0, 2, 0])
                    try await first.execute("START TRANSACTION")
                    try await second.execute("START TRANSACTION")
                    try await first.execute("UPDATE crossed SET n = 1 WHERE id = ?", [1])
                    try await second.execute("UPDATE crossed SET n = 2 WHERE id = ?", [2])
                    // `first` now waits for row 2; `second` then asks for row 1 and closes the cycle.
                    async let firstWaits = outcome {
                        try await first.execute("UPDATE crossed SET n = 1 WHERE id = ?", [2])
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    let secondResult = await outcome {
                        try await second.execute("UPDATE crossed SET n = 2 WHERE id = ?", [1])
                    }
                    let firstResult = await firstWaits
                    try await first.execute("ROLLBACK")
                    try await second.execute("ROLLBACK")

                    let errors = [firstResult, secondResult].compactMap { result -> MariaDBError? in
                        guard case .failure(let error) = result else { return nil }
                        return error as? MariaDBError
                    }
                    #expect(errors.count == 1)
                    #expect(errors.first?.number == 1213)
                    #expect(errors.first?.isDeadlockOrLockTimeout == true)
                    #expect(errors.first?.isRetryable == true)
                }
            }
        }

        @Test func wrongPasswordIsAnAuthenticationError() async throws {
            let server = try SharedServer.require()
            let connection = MariaDBConnection(configuration: server.configuration(password: "wrong"))
            let error = try #require(await #expect(throws: MariaDBError.self) { try await connection.connect() })
            #expect(error.number == 1045)
            #expect(error.sqlState == "28000")
            #expect(error.isAuthenticationFailure)
            #expect(!error.isRetryable)
            await #expect(throws: MariaDBUsageError.notConnected) { try await connection.query("SELECT 1") }
            await connection.close()
        }

        @Test func misuseIsReportedBeforeReachingTheServer() async throws {
            let server = try SharedServer.require()
            let connection = MariaDBConnection(configuration: server.configuration())
            await #expect(throws: MariaDBUsageError.notConnected) { try await connection.execute("DO 1") }
            try await connection.connect()
            await #expect(throws: MariaDBUsageError.parameterCountMismatch(expected: 2, provided: 1)) {
                try await connection.query("SELECT ? + ?", [1])
            }
            await connection.close()
            await connection.close()
            await #expect(throws: MariaDBUsageError.connectionClosed) { try await connection.query("SELECT 1") }
            await #expect(throws: MariaDBUsageError.connectionClosed) { try await connection.reconnect() }
        }
    }
}

/// The result of `body` as a value, so that an expected failure can be inspected later.
private func outcome<Success>(_ body: () async throws -> Success) async -> Result<Success, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
#endif
