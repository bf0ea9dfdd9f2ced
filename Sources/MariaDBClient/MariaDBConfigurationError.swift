#if MySQL
/// Why a connection URL could not be turned into a ``MariaDBConfiguration``.
///
/// No case carries the password, so the error can be logged as it is.
public enum MariaDBConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL does not start with `mysql://` or `mariadb://`.
    case unsupportedScheme
    /// The URL has no host.
    case missingHost
    /// The URL has no user name.
    case missingUser
    /// The port is not a number from 1 to 65535.
    case invalidPort(String)
    /// A `%` is not followed by two hexadecimal digits, or the decoded bytes are not UTF-8.
    case invalidPercentEncoding(component: String)
    /// A query parameter has a value it does not accept.
    case invalidParameterValue(name: String, value: String)
    /// A query parameter that is not supported (a misspelling would otherwise pass silently).
    case unknownParameter(String)

    public var description: String {
        switch self {
        case .unsupportedScheme:
            "the URL must start with mysql:// or mariadb://"
        case .missingHost:
            "the URL has no host"
        case .missingUser:
            "the URL has no user name"
        case .invalidPort(let port):
            "invalid port \"\(port)\""
        case .invalidPercentEncoding(let component):
            "invalid percent-encoding in the \(component)"
        case .invalidParameterValue(let name, let value):
            "invalid value \"\(value)\" for \(name)"
        case .unknownParameter(let name):
            "unknown parameter \"\(name)\""
        }
    }
}
#endif
