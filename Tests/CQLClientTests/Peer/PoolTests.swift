import NIOCore
import Testing

@testable import CQLClient

/// The pool over several scripted peers: round robin, failover, reconnection, shutdown.
@Suite(.timeLimit(.minutes(10))) struct PoolTests {
    private func makePool(_ endpoints: [CQLEndpoint]) -> CQLConnectionPool {
        CQLConnectionPool(
            configuration: CQLPoolConfiguration(
                contactPoints: endpoints,
                connection: testConfiguration(),
                reconnectionBackoff: CQLReconnectionBackoff(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(400))
            ),
            logger: silentLogger
        )
    }

    /// An endpoint where nothing listens any more.
    private func downEndpoint() async throws -> CQLEndpoint {
        let peer = try await ScriptedPeer.start(connections: [[.startupReady]])
        await peer.stop()
        return peer.endpoint
    }

    @Test func requestsAlternateBetweenNodes() async throws {
        let script: [PeerStep] = [
            .startupReady,
            .expect(.query, reply: .result, body: Recorded.void),
            .expect(.query, reply: .result, body: Recorded.void),
        ]
        let first = try await ScriptedPeer.start(connections: [script])
        let second = try await ScriptedPeer.start(connections: [script])
        let pool = makePool([first.endpoint, second.endpoint])
        for _ in 0..<4 {
            try await pool.query("INSERT INTO t (k) VALUES (1)")
        }
        #expect(first.requests.map(\.opcode) == [.startup, .query, .query])
        #expect(second.requests.map(\.opcode) == [.startup, .query, .query])
        await pool.shutdown()
        await first.stop()
        await second.stop()
    }

    @Test func aNodeThatIsDownDoesNotStopRequests() async throws {
        let down = try await downEndpoint()
        let up = try await ScriptedPeer.start(connections: [
            [.startupReady]
                + Array(
                    repeating: .expect(.query, reply: .result, body: Recorded.usersPage2), count: 4
                )
        ])
        let pool = makePool([down, up.endpoint])
        for _ in 0..<4 {
            let rows = try await pool.queryPage("SELECT * FROM users")
            #expect(rows.rows.count == 1)
        }
        #expect(up.requests.filter { $0.opcode == .query }.count == 4)
        await pool.shutdown()
        await up.stop()
    }

    @Test func connectSucceedsWhenOneNodeAnswers() async throws {
        let down = try await downEndpoint()
        let up = try await ScriptedPeer.start(connections: [[.startupReady]])
        let pool = makePool([down, up.endpoint])
        try await pool.connect()
        #expect(up.scriptedConnections == 1)
        await pool.shutdown()
        await up.stop()

        let unreachable = makePool([down])
        await #expect(throws: CQLClientError.self) {
            try await unreachable.connect()
        }
        await unreachable.shutdown()
    }

    @Test func droppedConnectionMidRequestThenThePoolReconnects() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [.startupReady, .closeOn(.query)],
            [.startupReady, .expect(.query, reply: .result, body: Recorded.usersPage2)],
        ])
        let pool = makePool([peer.endpoint])
        await #expect(throws: CQLClientError.connectionClosed) {
            try await pool.query("SELECT * FROM users")
        }
        try await eventually { peer.scriptedConnections == 2 }
        let rows = try await pool.queryPage("SELECT * FROM users")
        #expect(try rows.rows.first?.decode(String.self, column: "name") == "cyd")
        await pool.shutdown()
        await peer.stop()
        #expect(peer.mismatches.isEmpty)
    }

    @Test func idempotentRequestMovesToAnotherNodeAfterAConnectionError() async throws {
        let dropping = try await ScriptedPeer.start(connections: [[.startupReady, .closeOn(.query)]])
        let healthy = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.query, reply: .result, body: Recorded.usersPage2),
            ]
        ])
        let pool = makePool([dropping.endpoint, healthy.endpoint])
        let rows = try await pool.queryPage("SELECT * FROM users", options: CQLQueryOptions(isIdempotent: true))
        #expect(rows.rows.count == 1)
        // The dropping node got the query once; it may since have been reconnected in the background.
        #expect(Array(dropping.requests.prefix(2).map(\.opcode)) == [.startup, .query])
        #expect(dropping.requests.filter { $0.opcode == .query }.count == 1)
        #expect(healthy.requests.map(\.opcode) == [.startup, .query])
        await pool.shutdown()
        await dropping.stop()
        await healthy.stop()
    }

    @Test func nonIdempotentRequestIsNotRetried() async throws {
        let dropping = try await ScriptedPeer.start(connections: [[.startupReady, .closeOn(.query)]])
        let healthy = try await ScriptedPeer.start(connections: [[.startupReady]])
        let pool = makePool([dropping.endpoint, healthy.endpoint])
        await #expect(throws: CQLClientError.connectionClosed) {
            try await pool.query("UPDATE counters SET n = n + 1 WHERE k = 1")
        }
        #expect(healthy.requests.isEmpty)
        await pool.shutdown()
        await dropping.stop()
        await healthy.stop()
    }

    @Test func overloadedNodeHandsTheRequestToTheNext() async throws {
        let overloaded = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.query, reply: .error, body: Recorded.overloaded),
            ]
        ])
        let healthy = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.query, reply: .result, body: Recorded.void),
            ]
        ])
        let pool = makePool([overloaded.endpoint, healthy.endpoint])
        try await pool.query("INSERT INTO t (k) VALUES (1)")
        #expect(healthy.requests.map(\.opcode) == [.startup, .query])
        await pool.shutdown()
        await overloaded.stop()
        await healthy.stop()
    }

    @Test func preparedStatementIsPreparedAgainOnAnotherNode() async throws {
        let first = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            ]
        ])
        let second = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.execute, reply: .error, body: Recorded.unprepared),
                .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
                .expect(.execute, reply: .result, body: Recorded.nameAnn),
            ]
        ])
        let pool = makePool([first.endpoint, second.endpoint])
        let statement = try await pool.prepare("SELECT name FROM users WHERE id = ?")
        let rows = try await pool.executePage(statement, [.int(1)])
        #expect(try rows.rows.first?.decode(String.self, column: "name") == "ann")
        #expect(first.mismatches.isEmpty && second.mismatches.isEmpty)
        await pool.shutdown()
        await first.stop()
        await second.stop()
    }

    @Test func badCredentialsAreReportedAsSuch() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .expect(.startup, reply: .authenticate, body: Recorded.passwordAuthenticator),
                .expect(.authResponse, reply: .error, body: Recorded.badCredentials),
            ]
        ])
        var configuration = CQLPoolConfiguration(contactPoints: [peer.endpoint], connection: testConfiguration())
        configuration.connection.setCredentials(username: "ann", password: "wrong")
        let pool = CQLConnectionPool(configuration: configuration, logger: silentLogger)
        await #expect(throws: CQLServerError.authenticationError(message: "bad credentials")) {
            try await pool.query("SELECT 1")
        }
        await pool.shutdown()
        await peer.stop()
    }

    @Test func shutdownClosesConnectionsAndRefusesNewRequests() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.query, reply: .result, body: Recorded.void),
            ]
        ])
        let pool = makePool([peer.endpoint])
        try await pool.query("INSERT INTO t (k) VALUES (1)")
        await pool.shutdown()
        await #expect(throws: CQLClientError.shutDown) {
            try await pool.query("INSERT INTO t (k) VALUES (2)")
        }
        await peer.stop()
    }

    @Test func backoffGrowsExponentiallyUpToTheMaximum() {
        let backoff = CQLReconnectionBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), multiplier: 2)
        #expect(backoff.delay(afterFailures: 0) == .zero)
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(200))
        #expect(backoff.delay(afterFailures: 4) == .milliseconds(800))
        #expect(backoff.delay(afterFailures: 5) == .seconds(1))
        #expect(backoff.delay(afterFailures: 50) == .seconds(1))
    }
}
