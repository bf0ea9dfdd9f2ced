#if MySQL
import CMariaDB

/// Process-wide Connector/C initialization.
///
/// `mysql_library_init` is a macro Swift cannot import, so its target `mysql_server_init` is
/// called instead. It is not thread-safe, so it runs exactly once, through the lazy global
/// initializer (which Swift guards with `swift_once`). Connector/C 3.x needs no per-thread
/// `mysql_thread_init`, and the library stays initialized for the life of the process.
enum ConnectorLibrary {
    private static let initialized: Bool = mysql_server_init(0, nil, nil) == 0

    /// Initializes Connector/C if needed and returns a fresh `MYSQL` handle.
    static func makeHandle() throws(MariaDBError) -> UnsafeMutablePointer<MYSQL> {
        guard initialized, let handle = mysql_init(nil) else {
            throw MariaDBError(
                number: Int(CR_OUT_OF_MEMORY), sqlState: "HY000",
                message: "MariaDB Connector/C could not be initialized"
            )
        }
        return handle
    }
}
#endif
