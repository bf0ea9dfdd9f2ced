#if MySQL
/// Whether the connection is encrypted with TLS (URL parameter `ssl=`).
///
/// Without ``MariaDBConfiguration/tlsCAFile`` no mode verifies the server's certificate, as
/// with MySQL's `ssl-mode=PREFERRED` and `REQUIRED`: traffic is protected from eavesdropping,
/// not from an active man-in-the-middle. Set a CA file for that.
public enum MariaDBTLSMode: String, Sendable, Hashable, CaseIterable {
    /// Plain TCP, even if the server offers TLS.
    case disabled
    /// TLS when the server offers it, plain TCP otherwise. The clear-text password caveat of
    /// ``required`` applies here too when the server offers no TLS.
    case preferred
    /// TLS or no connection: connecting fails with error 2026 (CR_SSL_CONNECTION_ERROR) when
    /// the server does not negotiate TLS, and no statement is ever sent in the clear.
    ///
    /// Without a CA file, Connector/C only notices the missing TLS after the login exchange,
    /// and its `caching_sha2_password` plugin (MySQL 8) then treats the connection as secure:
    /// a server or attacker that offers no TLS and asks for full authentication receives the
    /// password in clear text. With ``MariaDBConfiguration/tlsCAFile`` set, the connection is
    /// refused before the login.
    case required
}
#endif
