#if MySQL
import Foundation

/// The MariaDB server programs the tests drive, found on `PATH` or in the usual Debian places.
public struct ServerTools: Sendable {
    let server: String
    let installDatabase: String
    let admin: String
    let client: String
    /// Needed only to make a certificate for the TLS tests.
    public let openssl: String?

    /// `nil` when the server is not installed; the server tests are then skipped.
    public static let installed: ServerTools? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            path.split(separator: ":").map(String.init)
            + ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]
        func find(_ name: String) -> String? {
            directories.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let server = find("mariadbd"), let installDatabase = find("mariadb-install-db"),
            let admin = find("mariadb-admin"), let client = find("mariadb")
        else { return nil }
        return ServerTools(
            server: server, installDatabase: installDatabase, admin: admin, client: client,
            openssl: find("openssl")
        )
    }()

    public static let missingMessage =
        "mariadbd (Debian package mariadb-server) is not installed; run scripts/install-mariadb.sh"
}
#endif
