#if MySQL
/// A call that the connection refused before anything was sent to the server.
public enum MariaDBUsageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// ``MariaDBConnection/connect()`` has not succeeded yet.
    case notConnected
    /// ``MariaDBConnection/close()`` was called; the connection cannot be used any more.
    case connectionClosed
    /// The statement has `expected` `?` placeholders but `provided` parameters were passed.
    case parameterCountMismatch(expected: Int, provided: Int)

    public var description: String {
        switch self {
        case .notConnected:
            "the connection is not connected; call connect() first"
        case .connectionClosed:
            "the connection was closed"
        case .parameterCountMismatch(let expected, let provided):
            "the statement has \(expected) placeholder(s) but \(provided) parameter(s) were passed"
        }
    }
}
#endif
