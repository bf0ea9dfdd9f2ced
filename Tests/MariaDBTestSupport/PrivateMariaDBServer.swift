#if MySQL
import Foundation
import MariaDBClient

/// A throwaway `mariadbd` on a free loopback port with its own temporary data directory,
/// owned by one test or suite, with database `wh` and user `jp` (password `jp`).
public actor PrivateMariaDBServer {
    public nonisolated let port: Int
    /// Holds `data/`, `tmp/`, the socket, the pid file and the error log; removed by ``stop()``.
    public nonisolated let root: String
    private let tools: ServerTools
    private let extraArguments: [String]
    private var process: Process?

    private var dataDirectory: String { root + "/data" }
    private var socketPath: String { root + "/sock" }
    private var errorLogPath: String { root + "/err" }
    /// The self-signed certificate of a server launched with `tls: true`; it is its own CA.
    public nonisolated var certificatePath: String { root + "/server-cert.pem" }
    /// Servers started side by side must not share `/tmp` for their temporary tables: parallel
    /// `mariadb-install-db` runs were seen failing on each other's files there.
    private var temporaryDirectory: String { root + "/tmp" }

    private init(tools: ServerTools, root: String, port: Int, extraArguments: [String]) {
        self.tools = tools
        self.root = root
        self.port = port
        self.extraArguments = extraArguments
    }

    /// Creates the data directory, starts the server and creates the test database and user.
    /// With `tls`, the server also gets a fresh self-signed certificate and offers TLS. A server
    /// that dies at start is launched again, twice at most, in a new folder on a new port: with
    /// many suites starting theirs at once on a busy machine, one may lose its port to another
    /// between the choice and the bind.
    public static func launch(tls: Bool = false) async throws -> PrivateMariaDBServer {
        var attempt = 1
        while true {
            do {
                return try await launchOnce(tls: tls)
            } catch ServerError.serverDidNotStart(let log) where attempt < 3 {
                attempt += 1
                FileHandle.standardError.write(Data("mariadbd did not start (\(log.suffix(300))); launching it again\n".utf8))
            }
        }
    }

    private static func launchOnce(tls: Bool) async throws -> PrivateMariaDBServer {
        guard let tools = ServerTools.installed else { throw ServerError.notInstalled }
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("mariadb-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var extraArguments: [String] = []
        if tls {
            extraArguments = try await makeCertificate(in: root)
        }
        let server = PrivateMariaDBServer(
            tools: tools, root: root, port: try freeLoopbackPort(), extraArguments: extraArguments
        )
        do {
            try await server.install()
            try await server.start()
            try await server.runAsRoot(
                """
                CREATE DATABASE wh;
                CREATE USER 'jp'@'127.0.0.1' IDENTIFIED BY 'jp';
                CREATE USER 'jp'@'localhost' IDENTIFIED BY 'jp';
                GRANT ALL ON *.* TO 'jp'@'127.0.0.1';
                GRANT ALL ON *.* TO 'jp'@'localhost';
                """
            )
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    /// Starts `mariadbd` on the existing data directory and waits until it answers a ping.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tools.server)
        process.arguments =
            [
                "--no-defaults", "--user=root", "--datadir=\(dataDirectory)", "--socket=\(socketPath)",
                "--port=\(port)", "--bind-address=127.0.0.1", "--pid-file=\(root)/pid",
                "--log-error=\(errorLogPath)", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci", "--tmpdir=\(temporaryDirectory)",
            ] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process

        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { break }
            let ping = try await runProgram(
                tools.admin, ["--no-defaults", "--socket=\(socketPath)", "-uroot", "ping"], checked: false
            )
            if ping.status == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: errorLogPath, encoding: .utf8)) ?? ""
        throw ServerError.serverDidNotStart(log: String(log.suffix(2000)))
    }

    /// Kills the server with SIGKILL, as a crash would, and waits until it is gone. The data
    /// directory stays, so ``start()`` can bring the same server back.
    public func crash() async {
        await terminate(signal: SIGKILL)
    }

    /// Shuts the server down and deletes its directory.
    public func stop() async {
        await terminate(signal: SIGTERM)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs SQL through the `mariadb` command-line client as root over the Unix socket.
    public func runAsRoot(_ sql: String) async throws {
        try await runProgram(tools.client, ["--no-defaults", "--socket=\(socketPath)", "-uroot", "-e", sql])
    }

    /// A configuration for this server; TLS is off unless asked for, since the server has no
    /// certificate unless launched with `tls: true`.
    public nonisolated func configuration(
        user: String = "jp", password: String = "jp", database: String? = "wh", tls: MariaDBTLSMode = .disabled
    ) -> MariaDBConfiguration {
        MariaDBConfiguration(
            host: "127.0.0.1", port: port, user: user, password: password, database: database, tls: tls,
            connectTimeout: .seconds(5), readTimeout: .seconds(20), writeTimeout: .seconds(20)
        )
    }

    private func install() async throws {
        try FileManager.default.createDirectory(atPath: temporaryDirectory, withIntermediateDirectories: true)
        try await runProgram(
            tools.installDatabase,
            [
                "--user=root", "--datadir=\(dataDirectory)", "--auth-root-authentication-method=normal",
                "--skip-test-db", "--tmpdir=\(temporaryDirectory)",
            ]
        )
    }

    private func terminate(signal: Int32) async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        self.process = nil
    }

    /// A self-signed certificate and key in `root`, and the server options that use them.
    private static func makeCertificate(in root: String) async throws -> [String] {
        let key = root + "/server-key.pem"
        let certificate = root + "/server-cert.pem"
        try await makeSelfSignedCertificate(certificate: certificate, key: key)
        return ["--ssl-cert=\(certificate)", "--ssl-key=\(key)"]
    }
}

/// A self-signed certificate for the IP address 127.0.0.1, valid for two days.
public func makeSelfSignedCertificate(certificate: String, key: String) async throws {
    guard let openssl = ServerTools.installed?.openssl else { throw ServerError.notInstalled }
    try await runProgram(
        openssl,
        [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
    )
}
#endif
