#if MySQL
import CMariaDB

extension MariaDBError {
    /// The last error on a connection handle.
    init(connection handle: UnsafeMutablePointer<MYSQL>) {
        self.init(
            number: Int(mysql_errno(handle)),
            sqlState: String(cString: mysql_sqlstate(handle)),
            message: String(cString: mysql_error(handle))
        )
    }

    /// The last error on a prepared statement.
    init(statement: UnsafeMutablePointer<MYSQL_STMT>) {
        self.init(
            number: Int(mysql_stmt_errno(statement)),
            sqlState: String(cString: mysql_stmt_sqlstate(statement)),
            message: String(cString: mysql_stmt_error(statement))
        )
    }

    /// The server accepted the login without TLS although ``MariaDBTLSMode/required`` asked for it.
    static let tlsNotNegotiated = MariaDBError(
        number: Int(CR_SSL_CONNECTION_ERROR), sqlState: "HY000",
        message: "TLS is required (ssl=required) but the server did not negotiate it"
    )
}
#endif
