#if MySQL
/// An error reported by the server or by MariaDB Connector/C.
///
/// `number` is the MySQL/MariaDB error number: server errors are 1000–1999 and 3000+,
/// Connector/C's own client errors are 2000–2999 and 5000+.
public struct MariaDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error number, such as 1062 (duplicate entry) or 2013 (lost connection during query).
    public var number: Int
    /// The five-character SQLSTATE, such as `23000`; `HY000` when none applies.
    public var sqlState: String
    /// The message as the server or Connector/C wrote it.
    public var message: String

    public init(number: Int, sqlState: String, message: String) {
        self.number = number
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        "MariaDB error \(number) (\(sqlState)): \(message)"
    }
}

extension MariaDBError {
    /// Error numbers meaning the connection is gone or could not be made; the connection must
    /// be re-established with ``MariaDBConnection/reconnect()`` before it is used again.
    static let connectionLostNumbers: Set<Int> = [
        1053,  // ER_SERVER_SHUTDOWN: server shutdown in progress
        1927,  // ER_CONNECTION_KILLED (MariaDB)
        2002,  // CR_CONNECTION_ERROR: cannot connect (socket/refused)
        2003,  // CR_CONN_HOST_ERROR: cannot connect to host
        2006,  // CR_SERVER_GONE_ERROR: server has gone away
        2013,  // CR_SERVER_LOST: lost connection during query
        2055,  // CR_SERVER_LOST_EXTENDED: lost connection at a given stage
        3169,  // ER_SESSION_WAS_KILLED (MySQL 8)
        4031,  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8): disconnected after wait_timeout
    ]

    /// Error numbers of a client that is refused at login.
    static let authenticationFailureNumbers: Set<Int> = [
        1044,  // ER_DBACCESS_DENIED_ERROR: access denied to the database
        1045,  // ER_ACCESS_DENIED_ERROR: wrong user or password
        1251,  // ER_NOT_SUPPORTED_AUTH_MODE: client lacks the server's auth protocol
        1698,  // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
        2059,  // CR_AUTH_PLUGIN_CANNOT_LOAD: client auth plugin missing
        2061,  // CR_AUTH_PLUGIN_ERR: e.g. caching_sha2_password needing a secure channel
    ]

    /// The connection to the server was lost or could not be made.
    public var isConnectionLost: Bool {
        Self.connectionLostNumbers.contains(number)
    }

    /// The statement lost a deadlock (1213, ER_LOCK_DEADLOCK) or waited too long for a row lock
    /// (1205, ER_LOCK_WAIT_TIMEOUT).
    ///
    /// After a deadlock InnoDB has rolled back the whole transaction; after a lock-wait timeout
    /// only the statement (unless `innodb_rollback_on_timeout` is set). Either way the safe
    /// retry is the whole transaction.
    public var isDeadlockOrLockTimeout: Bool {
        number == 1213 || number == 1205
    }

    /// Running the same work again (after ``MariaDBConnection/reconnect()`` when
    /// ``isConnectionLost``) may succeed.
    ///
    /// A lost connection leaves it unknown whether the last statement or `COMMIT` reached the
    /// server, so retry only work that is safe to repeat.
    public var isRetryable: Bool {
        isConnectionLost || isDeadlockOrLockTimeout
    }

    /// A unique or primary key already holds this value (1062, ER_DUP_ENTRY).
    public var isDuplicateKey: Bool {
        number == 1062
    }

    /// The server or Connector/C refused the login: wrong credentials, no access to the
    /// database, or an authentication plugin that cannot be used.
    public var isAuthenticationFailure: Bool {
        Self.authenticationFailureNumbers.contains(number)
    }
}
#endif
