#if MySQL
import CMariaDB

/// Owns one Connector/C `MYSQL` handle and makes the blocking calls on it.
///
/// Thread confinement, not a lock, makes this safe: every method is called only from the
/// single thread of the owning ``MariaDBConnection``'s `NIOThreadPool`, which runs one work item
/// at a time. `@unchecked Sendable` only lets the session be captured by the closures submitted
/// to that thread. `deinit` runs when the last reference is gone, so nothing can be using the
/// handle then.
final class ConnectorSession: @unchecked Sendable {
    private let configuration: MariaDBConfiguration
    private var handle: UnsafeMutablePointer<MYSQL>?
    /// Statements prepared on `handle`; emptied whenever the handle goes.
    var preparedStatements = StatementCache()

    init(configuration: MariaDBConfiguration) {
        self.configuration = configuration
    }

    deinit {
        close()
    }

    /// Connects unless already connected.
    func open() throws(MariaDBError) {
        guard handle == nil else { return }
        let newHandle = try ConnectorLibrary.makeHandle()
        do throws(MariaDBError) {
            try ConnectionOptions.apply(configuration, to: newHandle)
            try connect(newHandle)
            if configuration.tls == .required, mysql_get_ssl_cipher(newHandle) == nil {
                throw MariaDBError.tlsNotNegotiated
            }
        } catch {
            mysql_close(newHandle)
            throw error
        }
        handle = newHandle
    }

    /// Closes the handle (sending `COM_QUIT` if the socket is still up). Safe to call twice.
    func close() {
        preparedStatements.discardAll()
        if let handle {
            mysql_close(handle)
        }
        handle = nil
    }

    /// The open handle, or ``MariaDBUsageError/notConnected``.
    func connectedHandle() throws(MariaDBUsageError) -> UnsafeMutablePointer<MYSQL> {
        guard let handle else { throw .notConnected }
        return handle
    }

    /// Runs one of the fixed transaction-control statements. These are constants, so the text
    /// protocol is used; parameters only ever travel through prepared statements.
    func runControlStatement(_ statement: TransactionControl) throws {
        let handle = try connectedHandle()
        let text = statement.rawValue
        let failed = text.withCString { mysql_real_query(handle, $0, UInt(text.utf8.count)) != 0 }
        if failed {
            throw MariaDBError(connection: handle)
        }
    }

    private func connect(_ handle: UnsafeMutablePointer<MYSQL>) throws(MariaDBError) {
        let connected = configuration.host.withCString { host in
            configuration.user.withCString { user in
                configuration.password.withCString { password in
                    withOptionalCString(configuration.database) { database in
                        mysql_real_connect(handle, host, user, password, database, UInt32(configuration.port), nil, 0)
                    }
                }
            }
        }
        if connected == nil {
            throw MariaDBError(connection: handle)
        }
    }
}

/// The statements ``MariaDBConnection/transaction(_:)`` sends.
enum TransactionControl: String {
    case begin = "START TRANSACTION"
    case commit = "COMMIT"
    case rollback = "ROLLBACK"
}

private func withOptionalCString<Result>(
    _ string: String?, _ body: (UnsafePointer<CChar>?) -> Result
) -> Result {
    guard let string else { return body(nil) }
    return string.withCString(body)
}
#endif
