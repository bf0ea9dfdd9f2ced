import InMemoryLogging
import Logging
import NIOCore
import Testing

@testable import CQLClient

/// STARTUP, authentication, version negotiation and TLS against the scripted peer.
@Suite(.timeLimit(.minutes(10))) struct HandshakeTests {
    @Test func handshakeWithoutAuthentication() async throws {
        let peer = try await ScriptedPeer.start(connections: [[.startupReady]])
        defer { Task { await peer.stop() } }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: testConfiguration(), logger: silentLogger
        )
        #expect(connection.protocolVersion == .v4)
        let startup = try #require(peer.requests.first)
        #expect(startup.opcode == .startup)
        #expect(startup.body.hex == normalizedHex("0001 000b 43514c5f56455253494f4e 0005 332e302e30"))
        await connection.close()
        #expect(peer.mismatches.isEmpty)
    }

    @Test func handshakeWithPasswordAuthentication() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .expect(.startup, reply: .authenticate, body: Recorded.passwordAuthenticator),
                .expect(.authResponse, reply: .authSuccess, body: Recorded.authSuccess),
            ]
        ])
        defer { Task { await peer.stop() } }
        let configuration = testConfiguration { $0.setCredentials(username: "cassandra", password: "cassandra") }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: configuration, logger: silentLogger
        )
        let authResponse = try #require(peer.requests.last)
        #expect(authResponse.opcode == .authResponse)
        #expect(authResponse.body.hex == normalizedHex("00000014 00 63617373616e647261 00 63617373616e647261"))
        await connection.close()
        #expect(peer.mismatches.isEmpty)
    }

    @Test func wrongPasswordIsAnAuthenticationError() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .expect(.startup, reply: .authenticate, body: Recorded.passwordAuthenticator),
                .expect(.authResponse, reply: .error, body: Recorded.badCredentials),
            ]
        ])
        defer { Task { await peer.stop() } }
        let configuration = testConfiguration { $0.setCredentials(username: "cassandra", password: "wrong") }
        await #expect(throws: CQLServerError.authenticationError(message: "bad credentials")) {
            try await CQLConnection.connect(to: peer.endpoint, configuration: configuration, logger: silentLogger)
        }
    }

    @Test func authenticationWithoutCredentialsIsReported() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .expect(.startup, reply: .authenticate, body: Recorded.passwordAuthenticator)
            ]
        ])
        defer { Task { await peer.stop() } }
        await #expect(
            throws: CQLClientError.authenticationRequired(
                authenticator: "org.apache.cassandra.auth.PasswordAuthenticator"
            )
        ) {
            try await CQLConnection.connect(to: peer.endpoint, configuration: testConfiguration(), logger: silentLogger)
        }
    }

    @Test func passwordsNeverReachTheLogs() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .expect(.startup, reply: .authenticate, body: Recorded.passwordAuthenticator),
                .expect(.authResponse, reply: .error, body: Recorded.badCredentials),
            ]
        ])
        defer { Task { await peer.stop() } }
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "cql.test", factory: { _ in logs })
        logger.logLevel = .trace
        let configuration = testConfiguration { $0.setCredentials(username: "ann", password: "s3cr3t-pw") }
        _ = try? await CQLConnection.connect(to: peer.endpoint, configuration: configuration, logger: logger)
        #expect(!logs.entries.isEmpty)
        for entry in logs.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains("s3cr3t-pw"))
        }
        #expect(!"\(configuration.authenticator!)".contains("s3cr3t-pw"))
        #expect(!"\(configuration)".contains("s3cr3t-pw"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("s3cr3t-pw"))
    }

    @Test func versionFallsBackFromV5ToV4() async throws {
        let peer = try await ScriptedPeer.start(highestVersion: .v4, connections: [[.startupReady]])
        defer { Task { await peer.stop() } }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: testConfiguration(versions: [.v5, .v4, .v3]), logger: silentLogger
        )
        #expect(connection.protocolVersion == .v4)
        #expect(peer.requests.map(\.version) == [.v5, .v4])
        #expect(peer.requests.map(\.opcode) == [.startup, .startup])
        await connection.close()
    }

    @Test func versionFallsBackFromV4ToV3() async throws {
        let peer = try await ScriptedPeer.start(
            highestVersion: .v3,
            connections: [
                [
                    .startupReady,
                    .expect(.query, reply: .result, body: Recorded.usersPage2),
                ]
            ])
        defer { Task { await peer.stop() } }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: testConfiguration(versions: [.v4, .v3]), logger: silentLogger
        )
        #expect(connection.protocolVersion == .v3)
        let rows = try await connection.queryPage("SELECT * FROM users")
        #expect(try rows.rows.map { try $0.decode(String.self, column: "name") } == ["cyd"])
        await connection.close()
    }

    @Test func everyVersionRefused() async throws {
        let peer = try await ScriptedPeer.start(highestVersion: .v3, connections: [[.startupReady]])
        defer { Task { await peer.stop() } }
        await #expect(throws: CQLClientError.unsupportedProtocolVersions([.v5, .v4])) {
            try await CQLConnection.connect(
                to: peer.endpoint, configuration: testConfiguration(versions: [.v5, .v4]), logger: silentLogger
            )
        }
    }

    @Test func v5HandshakeThenChecksummedFrames() async throws {
        let peer = try await ScriptedPeer.start(
            highestVersion: .v5,
            connections: [
                [
                    .startupReady,
                    .expect(.query, reply: .result, body: Recorded.usersPage2),
                ]
            ])
        defer { Task { await peer.stop() } }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: testConfiguration(versions: [.v5, .v4]), logger: silentLogger
        )
        #expect(connection.protocolVersion == .v5)
        let rows = try await connection.queryPage("SELECT * FROM users")
        #expect(try rows.rows.first?.decode(Int32.self, column: "id") == 3)
        #expect(peer.requests.last?.body.hex == normalizedHex("\(Recorded.selectUsers) 000a 00000000"))
        await connection.close()
        #expect(peer.mismatches.isEmpty)
    }

    @Test func v5AuthenticationContinuesInChecksummedFrames() async throws {
        let peer = try await ScriptedPeer.start(
            highestVersion: .v5,
            connections: [
                [
                    .expect(.startup, reply: .authenticate, body: Recorded.passwordAuthenticator),
                    .expect(.authResponse, reply: .authSuccess, body: Recorded.authSuccess),
                    .expect(.query, reply: .result, body: Recorded.void),
                ]
            ])
        defer { Task { await peer.stop() } }
        let configuration = testConfiguration(versions: [.v5]) {
            $0.setCredentials(username: "cassandra", password: "cassandra")
        }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: configuration, logger: silentLogger
        )
        try await connection.query("INSERT INTO t (k) VALUES (1)")
        #expect(peer.requests.map(\.opcode) == [.startup, .authResponse, .query])
        await connection.close()
        #expect(peer.mismatches.isEmpty)
    }

    @Test func keyspaceIsSelectedAfterTheHandshake() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.query, reply: .result, body: Recorded.keyspaceSet),
            ]
        ])
        defer { Task { await peer.stop() } }
        let configuration = testConfiguration { $0.keyspace = "ks" }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: configuration, logger: silentLogger
        )
        #expect(peer.requests.last?.body.hex == normalizedHex("00000008 55534520226b7322 000a 00"))
        await connection.close()
    }

    @Test func optionsReturnsSupportedStartupOptions() async throws {
        let peer = try await ScriptedPeer.start(connections: [
            [
                .startupReady,
                .expect(.options, reply: .supported, body: "0001 000b 43514c5f56455253494f4e 0001 0005 332e302e30"),
            ]
        ])
        defer { Task { await peer.stop() } }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: testConfiguration(), logger: silentLogger
        )
        #expect(try await connection.supportedOptions() == ["CQL_VERSION": ["3.0.0"]])
        await connection.close()
    }

    @Test func tlsConnection() async throws {
        let peer = try await ScriptedPeer.start(
            tls: try TestCertificate.serverConfiguration(),
            connections: [
                [
                    .startupReady,
                    .expect(.query, reply: .result, body: Recorded.void),
                ]
            ])
        defer { Task { await peer.stop() } }
        let configuration = testConfiguration {
            $0.tls = try? TestCertificate.clientConfiguration()
            $0.tlsServerHostname = "localhost"
        }
        let connection = try await CQLConnection.connect(
            to: peer.endpoint, configuration: configuration, logger: silentLogger
        )
        guard case .void = try await connection.query("INSERT INTO t (k) VALUES (1)") else {
            Issue.record("expected a Void result")
            return
        }
        await connection.close()
    }

    @Test func tlsToAPlainServerFails() async throws {
        let peer = try await ScriptedPeer.start(connections: [[.startupReady]])
        defer { Task { await peer.stop() } }
        let configuration = testConfiguration {
            $0.tls = try? TestCertificate.clientConfiguration()
            $0.tlsServerHostname = "localhost"
        }
        await #expect(throws: (any Error).self) {
            try await CQLConnection.connect(to: peer.endpoint, configuration: configuration, logger: silentLogger)
        }
    }
}
