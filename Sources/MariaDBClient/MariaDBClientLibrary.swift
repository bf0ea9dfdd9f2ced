#if MySQL
import CMariaDB

/// Facts about the MariaDB Connector/C library this module is linked against.
public enum MariaDBClientLibrary {
    /// The client library version as `mysql_get_client_info()` reports it.
    public static var version: String {
        String(cString: mysql_get_client_info())
    }

    /// The plugin directory compiled into Connector/C; on Debian
    /// `/usr/lib/<arch>-linux-gnu/libmariadb3/plugin`. The `MARIADB_PLUGIN_DIR` environment
    /// variable or ``MariaDBConfiguration/pluginDirectory`` overrides it.
    public static let defaultPluginDirectory: String = MARIADB_PLUGINDIR

    /// Whether Connector/C can load the client authentication plugin `name`, such as
    /// `caching_sha2_password` (MySQL 8's default) or `client_ed25519`.
    ///
    /// Loading a plugin opens a shared object from disk, so call this at startup (as a
    /// deployment check), not from an event loop. Connector/C keeps a loaded plugin for the
    /// life of the process, so once this returned `true` it does so for any `pluginDirectory`.
    public static func canLoadAuthenticationPlugin(named name: String, pluginDirectory: String? = nil) -> Bool {
        guard let handle = try? ConnectorLibrary.makeHandle() else { return false }
        defer { mysql_close(handle) }
        if let pluginDirectory {
            guard pluginDirectory.withCString({ mysql_options(handle, MYSQL_PLUGIN_DIR, $0) }) == 0 else {
                return false
            }
        }
        return mysql_client_find_plugin(handle, name, MYSQL_CLIENT_AUTHENTICATION_PLUGIN) != nil
    }
}
#endif
