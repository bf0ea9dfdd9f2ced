#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

@Suite(
    "Connection loss",
    .enabled(if: ServerTools.installed != nil, Comment(rawValue: ServerTools.missingMessage)),
    .timeLimit(.minutes(10))
)
struct ConnectionLossTests {
    @Test func killedServerIsDetectedAndReconnectWorksAfterRestart() async throws {
        try await withPrivateServer { server in
            let connection = MariaDBConnection(
                configuration: server.configuration().with(connectTimeout: .seconds(2))
            )
            try await connection.connect()
            try await connection.execute("CREATE TABLE survivors (n INT) ENGINE=InnoDB")
            try await connection.execute("INSERT INTO survivors VALUES (?)", [42])

            await server.crash()
            let lost = await #expect(throws: MariaDBError.self) {
                try await connection.query("SELECT n FROM survivors")
            }
            #expect(lost?.isConnectionLost == true, "\(String(describing: lost))")
            #expect(lost?.isRetryable == true)

            let refused = await #expect(throws: MariaDBError.self) { try await connection.reconnect() }
            #expect(refused?.isConnectionLost == true, "\(String(describing: refused))")

            try await server.start()
            try await connection.reconnect()
            let rows = try await connection.query("SELECT n FROM survivors")
            #expect(try rows.map { try $0.int("n") } == [42])
            await connection.close()
        }
    }
}

extension MariaDBConfiguration {
    fileprivate func with(connectTimeout: Duration) -> MariaDBConfiguration {
        var copy = self
        copy.connectTimeout = connectTimeout
        return copy
    }
}
#endif
