#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    /// The shared server runs without a certificate, so it cannot offer TLS.
    @Suite("TLS against a server without TLS", .timeLimit(.minutes(10)))
    struct TLSUnavailableTests {
        @Test func requiredFailsWhenTheServerOffersNoTLS() async throws {
            let server = try SharedServer.require()
            let connection = MariaDBConnection(configuration: server.configuration(tls: .required))
            let error = await #expect(throws: MariaDBError.self) { try await connection.connect() }
            #expect(error?.number == 2026)
            await connection.close()
        }

        /// With a CA file Connector/C refuses the server before the login; its own message
        /// shows that (the CA file is never read, as no TLS handshake starts).
        @Test func verifiedTLSIsRefusedBeforeLogin() async throws {
            let server = try SharedServer.require()
            var configuration = server.configuration(tls: .required)
            configuration.tlsCAFile = "/nonexistent/ca.pem"
            let connection = MariaDBConnection(configuration: configuration)
            let error = await #expect(throws: MariaDBError.self) { try await connection.connect() }
            #expect(error?.number == 2026)
            #expect(error?.message.contains("server does not support it") == true, "\(String(describing: error))")
            await connection.close()
        }

        @Test func preferredFallsBackToPlainTCP() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration(tls: .preferred)) { connection in
                let cipher = try await sessionCipher(connection)
                #expect(cipher == "")
            }
        }
    }
}

@Suite(
    "TLS against a server with TLS",
    .enabled(if: ServerTools.installed != nil, Comment(rawValue: ServerTools.missingMessage)),
    .enabled(if: ServerTools.installed?.openssl != nil, "openssl is needed to make a test certificate"),
    .timeLimit(.minutes(10))
)
struct TLSAvailableTests {
    @Test func requiredNegotiatesTLSAndDisabledDoesNot() async throws {
        try await withPrivateServer(tls: true) { server in
            try await withConnection(server.configuration(tls: .required)) { connection in
                let cipher = try await sessionCipher(connection)
                #expect(cipher != "")
            }
            try await withConnection(server.configuration(tls: .preferred)) { connection in
                let cipher = try await sessionCipher(connection)
                #expect(cipher != "")
            }
            try await withConnection(server.configuration(tls: .disabled)) { connection in
                let cipher = try await sessionCipher(connection)
                #expect(cipher == "")
            }
        }
    }

    @Test func certificateIsVerifiedAgainstTheCAFile() async throws {
        try await withPrivateServer(tls: true) { server in
            var trusting = server.configuration(tls: .required)
            trusting.tlsCAFile = server.certificatePath
            try await withConnection(trusting) { connection in
                let cipher = try await sessionCipher(connection)
                #expect(cipher != "")
            }

            var distrusting = trusting
            distrusting.tlsCAFile = server.root + "/other-ca.pem"
            try await makeSelfSignedCertificate(
                certificate: server.root + "/other-ca.pem", key: server.root + "/other-key.pem")
            let connection = MariaDBConnection(configuration: distrusting)
            let error = await #expect(throws: MariaDBError.self) { try await connection.connect() }
            #expect(error?.number == 2026)
            await connection.close()
        }
    }
}

/// The cipher of the session's TLS connection as the server sees it, empty without TLS.
private func sessionCipher(_ connection: MariaDBConnection) async throws -> String {
    let row = try await connection.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first
    return try #require(row).string("Value")
}
#endif
