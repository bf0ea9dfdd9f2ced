import NIOCore
import Testing

@testable import CQLClient

/// Queries, paging, prepared statements, batches and errors against the scripted peer.
@Suite(.timeLimit(.minutes(10))) struct QueryTests {
    /// Connects to a peer that plays `script` after answering STARTUP with READY.
    private func connect(_ script: [PeerStep]) async throws -> (ScriptedPeer, CQLConnection) {
        let peer = try await ScriptedPeer.start(connections: [[.startupReady] + script])
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: testConfiguration(), logger: silentLogger
        )
        return (peer, connection)
    }

    private func finish(_ peer: ScriptedPeer, _ connection: CQLConnection) async {
        await connection.close()
        await peer.stop()
        #expect(peer.mismatches.isEmpty)
    }

    @Test func queryReturningRows() async throws {
        let (peer, connection) = try await connect([.expect(.query, reply: .result, body: Recorded.usersPage2)])
        let rows = try await connection.queryPage("SELECT * FROM users")
        #expect(rows.columns.map(\.name) == ["id", "name"])
        let row = try #require(rows.rows.first)
        #expect(try row.decode(Int32.self, column: "id") == 3)
        #expect(try row.decode(String.self, column: "name") == "cyd")
        #expect(peer.requests.last?.body.hex == normalizedHex("\(Recorded.selectUsers) 000a 00"))
        await finish(peer, connection)
    }

    @Test func onePageAtATimeWithThePagingState() async throws {
        let (peer, connection) = try await connect([
            .expect(.query, reply: .result, body: Recorded.usersPage1),
            .expect(.query, reply: .result, body: Recorded.usersPage2),
        ])
        let first = try await connection.queryPage("SELECT * FROM users", options: CQLQueryOptions(pageSize: 2))
        #expect(first.rows.count == 2)
        let state = try #require(first.pagingState)
        #expect(state.bytes == Array("p1".utf8))
        let second = try await connection.queryPage(
            "SELECT * FROM users", options: CQLQueryOptions(pageSize: 2, pagingState: state)
        )
        #expect(second.pagingState == nil)
        #expect(peer.requests[1].body.hex == normalizedHex("\(Recorded.selectUsers) 000a 04 00000002"))
        #expect(peer.requests[2].body.hex == normalizedHex("\(Recorded.selectUsers) 000a 0c 00000002 00000002 7031"))
        await finish(peer, connection)
    }

    @Test func pageSequenceWalksEveryPage() async throws {
        let (peer, connection) = try await connect([
            .expect(.query, reply: .result, body: Recorded.usersPage1),
            .expect(.query, reply: .result, body: Recorded.usersPage2),
        ])
        var pageSizes: [Int] = []
        for try await page in connection.queryPages("SELECT * FROM users", options: CQLQueryOptions(pageSize: 2)) {
            pageSizes.append(page.rows.count)
        }
        #expect(pageSizes == [2, 1])
        await finish(peer, connection)
    }

    @Test func rowSequenceFlattensPages() async throws {
        let (peer, connection) = try await connect([
            .expect(.query, reply: .result, body: Recorded.usersPage1),
            .expect(.query, reply: .result, body: Recorded.usersPage2),
        ])
        var names: [String] = []
        for try await row in connection.queryPages("SELECT * FROM users", options: CQLQueryOptions(pageSize: 2)).rows {
            names.append(try row.decode(String.self, column: "name"))
        }
        #expect(names == ["ann", "bob", "cyd"])
        await finish(peer, connection)
    }

    @Test func prepareThenExecute() async throws {
        let (peer, connection) = try await connect([
            .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            .expect(.execute, reply: .result, body: Recorded.nameAnn),
        ])
        let statement = try await connection.prepare("SELECT name FROM users WHERE id = ?")
        #expect(statement.id == [1, 2, 3, 4])
        #expect(statement.bindMarkers.map(\.type) == [.int])
        #expect(peer.requests[1].body.hex == normalizedHex(Recorded.selectNameByID))

        // A bigint bound to an int marker is sent as an int.
        let rows = try await connection.executePage(statement, [.bigint(1)])
        #expect(try rows.rows.first?.decode(String.self, column: "name") == "ann")
        #expect(peer.requests[2].body.hex == normalizedHex("0004 01020304 000a 01 0001 00000004 00000001"))
        await finish(peer, connection)
    }

    @Test func unpreparedStatementIsPreparedAgain() async throws {
        let (peer, connection) = try await connect([
            .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            .expect(.execute, reply: .error, body: Recorded.unprepared),
            .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            .expect(.execute, reply: .result, body: Recorded.nameAnn),
        ])
        let statement = try await connection.prepare("SELECT name FROM users WHERE id = ?")
        let rows = try await connection.executePage(statement, [.int(1)])
        #expect(try rows.rows.first?.decode(String.self, column: "name") == "ann")
        #expect(peer.requests.map(\.opcode) == [.startup, .prepare, .execute, .prepare, .execute])
        #expect(peer.requests[3].body.hex == normalizedHex(Recorded.selectNameByID))
        await finish(peer, connection)
    }

    @Test func unloggedBatchOfPreparedAndSimpleStatements() async throws {
        let (peer, connection) = try await connect([
            .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            .expect(.batch, reply: .result, body: Recorded.void),
        ])
        let statement = try await connection.prepare("SELECT name FROM users WHERE id = ?")
        var batch = CQLBatch()
        batch.add(statement, [.int(5)])
        batch.add("DELETE FROM t", [])
        guard case .void = try await connection.batch(batch) else {
            Issue.record("expected a Void result")
            return
        }
        #expect(
            peer.requests[2].body.hex
                == normalizedHex(
                    """
                    01 0002
                    01 0004 01020304 0001 00000004 00000005
                    00 0000000d 44454c4554452046524f4d2074 0000
                    000a 00
                    """))
        await finish(peer, connection)
    }

    @Test func unpreparedInsideABatchIsPreparedAgain() async throws {
        let (peer, connection) = try await connect([
            .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            .expect(.batch, reply: .error, body: Recorded.unprepared),
            .expect(.prepare, reply: .result, body: Recorded.preparedSelectName),
            .expect(.batch, reply: .result, body: Recorded.void),
        ])
        let statement = try await connection.prepare("SELECT name FROM users WHERE id = ?")
        try await connection.batch(CQLBatch(statements: [.prepared(statement, values: [.int(5)])]))
        #expect(peer.requests.map(\.opcode) == [.startup, .prepare, .batch, .prepare, .batch])
        await finish(peer, connection)
    }

    @Test func serverErrorIsTyped() async throws {
        let (peer, connection) = try await connect([.expect(.query, reply: .error, body: Recorded.unconfiguredTable)])
        await #expect(throws: CQLServerError.invalid(message: "unconfigured table nope")) {
            try await connection.query("SELECT * FROM nope")
        }
        await finish(peer, connection)
    }

    @Test func concurrentRequestsShareTheConnection() async throws {
        // Each answer names the keyspace the request asked for; answers are sent in reverse order.
        let answerWithItsOwnText: @Sendable (CQLFrame) -> ByteBuffer = { request in
            let text = queryText(of: request)
            var body = ByteBuffer()
            body.writeInteger(Int32(3))
            body.writeInteger(UInt16(text.utf8.count))
            body.writeString(text)
            return body
        }
        let (peer, connection) = try await connect([
            PeerStep(.query) { [.hold(.result, body: answerWithItsOwnText($0))] },
            PeerStep(.query) { [.hold(.result, body: answerWithItsOwnText($0))] },
            PeerStep(.query) { [.hold(.result, body: answerWithItsOwnText($0)), .releaseHeldInReverse] },
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for keyspace in ["a", "b", "c"] {
                group.addTask {
                    guard case .setKeyspace(let answered) = try await connection.query(keyspace) else {
                        Issue.record("expected Set_keyspace")
                        return
                    }
                    #expect(answered == keyspace)
                }
            }
            try await group.waitForAll()
        }
        #expect(Set(peer.requests.dropFirst().map(\.streamID)).count == 3)
        await finish(peer, connection)
    }

    @Test func unansweredRequestTimesOut() async throws {
        let (peer, connection) = try await connect([PeerStep(.query) { _ in [] }])
        await #expect(throws: CQLClientError.requestTimedOut) {
            try await connection.query("SELECT 1", options: CQLQueryOptions(timeout: .milliseconds(200)))
        }
        await finish(peer, connection)
    }

    @Test func droppedConnectionFailsTheRequestInFlight() async throws {
        let (peer, connection) = try await connect([.closeOn(.query)])
        await #expect(throws: CQLClientError.connectionClosed) {
            try await connection.query("SELECT 1")
        }
        #expect(!connection.isActive)
        await #expect(throws: CQLClientError.connectionClosed) {
            try await connection.query("SELECT 1")
        }
        await finish(peer, connection)
    }
}
