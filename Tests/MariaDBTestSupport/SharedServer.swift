#if MySQL
import MariaDBClient
import Testing

/// One private server for all tests of a suite: started before the suite's first test and
/// stopped after its last, and reachable from the tests through ``SharedServer/current``.
public struct SharedServerTrait: SuiteTrait, TestScoping {
    public init() {}

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await PrivateMariaDBServer.launch()
        do {
            try await SharedServer.$current.withValue(server, operation: function)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Trait where Self == SharedServerTrait {
    /// Runs the suite against one private MariaDB server.
    public static var sharedServer: Self { SharedServerTrait() }
}

public enum SharedServer {
    @TaskLocal public static var current: PrivateMariaDBServer?

    /// The server of the enclosing ``SharedServerTrait`` suite.
    public static func require() throws -> PrivateMariaDBServer {
        try #require(current, "the test must be inside a suite with the .sharedServer trait")
    }
}

/// Connects, runs `body`, and closes the connection whether `body` returns or throws.
public func withConnection<Result>(
    _ configuration: MariaDBConfiguration, _ body: (MariaDBConnection) async throws -> Result
) async throws -> Result {
    let connection = MariaDBConnection(configuration: configuration)
    do {
        try await connection.connect()
        let result = try await body(connection)
        await connection.close()
        return result
    } catch {
        await connection.close()
        throw error
    }
}

/// Launches a server for one test, runs `body`, and stops the server afterwards.
public func withPrivateServer<Result>(
    tls: Bool = false, _ body: (PrivateMariaDBServer) async throws -> Result
) async throws -> Result {
    let server = try await PrivateMariaDBServer.launch(tls: tls)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
#endif
