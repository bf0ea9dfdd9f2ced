#if MySQL
import CMariaDB

/// Sets the `mysql_options` a ``MariaDBConfiguration`` asks for on a handle before it connects.
enum ConnectionOptions {
    /// Runs on every (re)connect. With the session in UTC, `TIMESTAMP` values are neither shifted
    /// on the way in nor on the way out, so they round-trip as ``MariaDBValue/datetime(secondsSince1970:)``.
    static let initCommand = "SET time_zone = '+00:00'"

    static func apply(
        _ configuration: MariaDBConfiguration, to handle: UnsafeMutablePointer<MYSQL>
    )
        throws(MariaDBError)
    {
        // utf8mb4 is the only MySQL character set that holds every Unicode scalar, emoji included.
        try set(MYSQL_SET_CHARSET_NAME, string: "utf8mb4", on: handle)
        try set(MYSQL_INIT_COMMAND, string: initCommand, on: handle)
        // Always TCP: the configuration names a host and port, and "localhost" would otherwise
        // silently mean the server's Unix socket.
        try set(MYSQL_OPT_PROTOCOL, uint: MYSQL_PROTOCOL_TCP.rawValue, on: handle)
        // Connector/C's automatic reconnect would silently drop session state (transactions,
        // session variables); a lost connection is reported and reconnect() is explicit.
        try set(MYSQL_OPT_RECONNECT, flag: false, on: handle)
        try set(MYSQL_OPT_CONNECT_TIMEOUT, uint: wholeSeconds(configuration.connectTimeout), on: handle)
        if let readTimeout = configuration.readTimeout {
            try set(MYSQL_OPT_READ_TIMEOUT, uint: wholeSeconds(readTimeout), on: handle)
        }
        if let writeTimeout = configuration.writeTimeout {
            try set(MYSQL_OPT_WRITE_TIMEOUT, uint: wholeSeconds(writeTimeout), on: handle)
        }
        if let pluginDirectory = configuration.pluginDirectory {
            try set(MYSQL_PLUGIN_DIR, string: pluginDirectory, on: handle)
        }
        try applyTLS(configuration, to: handle)
    }

    /// `MYSQL_OPT_SSL_ENFORCE` asks for TLS. Connector/C 3.3 still falls back to plain TCP when
    /// the server offers no TLS unless certificate verification is on, so ``MariaDBTLSMode/required``
    /// is also checked after connecting (see ``ConnectorSession/open()``). Verification is set
    /// explicitly, on with a CA file and off without, because Connector/C 3.4 turned it on by default.
    private static func applyTLS(
        _ configuration: MariaDBConfiguration, to handle: UnsafeMutablePointer<MYSQL>
    )
        throws(MariaDBError)
    {
        guard configuration.tls != .disabled else {
            try set(MYSQL_OPT_SSL_ENFORCE, flag: false, on: handle)
            try set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: false, on: handle)
            return
        }
        try set(MYSQL_OPT_SSL_ENFORCE, flag: true, on: handle)
        if let tlsCAFile = configuration.tlsCAFile {
            try set(MYSQL_OPT_SSL_CA, string: tlsCAFile, on: handle)
            try set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: true, on: handle)
        } else {
            try set(MYSQL_OPT_SSL_VERIFY_SERVER_CERT, flag: false, on: handle)
        }
    }

    private static func set(
        _ option: mysql_option, string: String, on handle: UnsafeMutablePointer<MYSQL>
    )
        throws(MariaDBError)
    {
        try check(string.withCString { mysql_options(handle, option, $0) }, option, handle)
    }

    private static func set(
        _ option: mysql_option, uint: UInt32, on handle: UnsafeMutablePointer<MYSQL>
    )
        throws(MariaDBError)
    {
        var value = uint
        try check(mysql_options(handle, option, &value), option, handle)
    }

    /// `my_bool` options take a pointer to a C `char`, which Swift sees as `CChar`.
    private static func set(
        _ option: mysql_option, flag: Bool, on handle: UnsafeMutablePointer<MYSQL>
    )
        throws(MariaDBError)
    {
        var value: CChar = flag ? 1 : 0
        try check(mysql_options(handle, option, &value), option, handle)
    }

    private static func check(
        _ result: Int32, _ option: mysql_option, _ handle: UnsafeMutablePointer<MYSQL>
    )
        throws(MariaDBError)
    {
        guard result == 0 else {
            throw MariaDBError(
                number: Int(CR_INVALID_PARAMETER), sqlState: "HY000",
                message: "Connector/C rejected option \(option.rawValue)"
            )
        }
    }
}
#endif
