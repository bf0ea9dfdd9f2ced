#if MySQL
/// Where and how to connect. Create one in code or from a URL with ``init(url:)``.
///
/// `description` (and so string interpolation, logging and `dump`) never shows the password.
public struct MariaDBConfiguration: Sendable, Hashable {
    /// Host name or IP address. The connection always uses TCP, so `localhost` is looked up as
    /// a host name rather than meaning the local Unix socket.
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    /// The default database (schema), or `nil` for none.
    public var database: String?
    public var tls: MariaDBTLSMode
    /// A PEM file of trusted certificate authorities (URL parameter `ssl_ca`). When set, and
    /// ``tls`` is not ``MariaDBTLSMode/disabled``, TLS becomes mandatory and verified: the
    /// server's certificate must chain to one of these authorities and name ``host``, and a
    /// server that offers no TLS is refused before any credentials are sent.
    public var tlsCAFile: String?
    /// Limit on establishing the TCP connection. Connector/C counts whole seconds, so this is
    /// rounded up to the next second; the same holds for the read and write timeouts.
    public var connectTimeout: Duration
    /// Limit on each wait for data from the server, or `nil` for none. A statement that runs
    /// longer than this without sending anything fails with error 2013 and the connection is lost.
    public var readTimeout: Duration?
    /// Limit on each wait to send data to the server, or `nil` for none.
    public var writeTimeout: Duration?
    /// Directory holding Connector/C's authentication plugins (such as `caching_sha2_password.so`
    /// for MySQL 8), or `nil` for Connector/C's own default: the `MARIADB_PLUGIN_DIR` environment
    /// variable, else the directory compiled into the library
    /// (``MariaDBClientLibrary/defaultPluginDirectory``).
    public var pluginDirectory: String?

    public init(
        host: String,
        port: Int = 3306,
        user: String,
        password: String = "",
        database: String? = nil,
        tls: MariaDBTLSMode = .preferred,
        tlsCAFile: String? = nil,
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration? = nil,
        writeTimeout: Duration? = nil,
        pluginDirectory: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.tlsCAFile = tlsCAFile
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.pluginDirectory = pluginDirectory
    }
}

extension MariaDBConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The configuration as a URL with the password replaced by `***`.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let secret = password.isEmpty ? "" : ":***"
        var parameters = ["ssl=\(tls.rawValue)"]
        if let tlsCAFile { parameters.append("ssl_ca=\(tlsCAFile)") }
        parameters.append("connect_timeout=\(wholeSeconds(connectTimeout))")
        if let readTimeout { parameters.append("read_timeout=\(wholeSeconds(readTimeout))") }
        if let writeTimeout { parameters.append("write_timeout=\(wholeSeconds(writeTimeout))") }
        return "mysql://\(user)\(secret)@\(hostPart):\(port)/\(database ?? "")?"
            + parameters.joined(separator: "&")
    }

    public var debugDescription: String {
        "MariaDBConfiguration(\(description))"
    }

    /// Keeps the password out of `dump` and other reflection-based output.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "user": user, "password": "***",
                "database": database as Any, "tls": tls, "tlsCAFile": tlsCAFile as Any,
                "connectTimeout": connectTimeout,
                "readTimeout": readTimeout as Any, "writeTimeout": writeTimeout as Any,
                "pluginDirectory": pluginDirectory as Any,
            ]
        )
    }
}

/// Connector/C timeouts are whole seconds; round up so a limit is never shortened, and use at
/// least one second because zero means "no timeout".
func wholeSeconds(_ duration: Duration) -> UInt32 {
    let (seconds, attoseconds) = duration.components
    let rounded = seconds + (attoseconds > 0 ? 1 : 0)
    return UInt32(clamping: max(1, rounded))
}
#endif
