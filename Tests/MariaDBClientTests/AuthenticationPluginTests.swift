#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

@Suite("Authentication plugins", .timeLimit(.minutes(10)))
struct AuthenticationPluginTests {
    /// MySQL 8's default authentication needs Connector/C's `caching_sha2_password` plugin,
    /// which is a shared object in the plugin directory rather than built in.
    @Test func cachingSHA2PasswordPluginLoads() {
        // First, before anything has loaded it: Connector/C keeps a loaded plugin for the life
        // of the process, whatever directory is asked for later.
        #expect(
            !MariaDBClientLibrary.canLoadAuthenticationPlugin(
                named: "caching_sha2_password", pluginDirectory: "/nonexistent"))
        #expect(
            MariaDBClientLibrary.canLoadAuthenticationPlugin(
                named: "caching_sha2_password", pluginDirectory: MariaDBClientLibrary.defaultPluginDirectory
            )
        )
        #expect(MariaDBClientLibrary.canLoadAuthenticationPlugin(named: "caching_sha2_password"))
        #expect(!MariaDBClientLibrary.canLoadAuthenticationPlugin(named: "no_such_plugin"))
        #expect(MariaDBClientLibrary.defaultPluginDirectory.hasSuffix("/libmariadb3/plugin"))
        #expect(!MariaDBClientLibrary.version.isEmpty)
    }
}

extension SharedServerTests {
    @Suite("Authentication through a loadable plugin", .timeLimit(.minutes(10)))
    struct LoadablePluginLoginTests {
        @Test func nativePasswordLogin() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let row = try await connection.query(
                    "SELECT plugin FROM mysql.user WHERE User = ? AND Host = ?", ["jp", "127.0.0.1"]
                ).first
                #expect(try row?.string("plugin") == "mysql_native_password")
            }
        }

        /// `client_ed25519` is loaded from the plugin directory at login just as
        /// `caching_sha2_password` is for MySQL 8, so this login exercises the same path.
        @Test func ed25519LoginLoadsItsClientPlugin() async throws {
            let server = try SharedServer.require()
            try await server.runAsRoot(
                """
                INSTALL SONAME 'auth_ed25519';
                CREATE USER 'ed'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('ed-secret');
                GRANT SELECT ON wh.* TO 'ed'@'127.0.0.1';
                """
            )
            try await withConnection(server.configuration(user: "ed", password: "ed-secret")) { connection in
                let row = try await connection.query("SELECT CURRENT_USER() AS user").first
                #expect(try row?.string("user") == "ed@127.0.0.1")
            }
            let refused = MariaDBConnection(configuration: server.configuration(user: "ed", password: "wrong"))
            let error = await #expect(throws: MariaDBError.self) { try await refused.connect() }
            #expect(error?.isAuthenticationFailure == true)
            await refused.close()
        }
    }
}
#endif
