#if MySQL
/// A value sent to or received from the server.
///
/// Parameters are always sent through server-side prepared statements, so a value is never
/// spliced into SQL text: a `.string` holding `'; DROP TABLE t; --` is stored as exactly those
/// characters.
public enum MariaDBValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// Any integer column (`TINYINT` … `BIGINT`, `YEAR`).
    case int64(Int64)
    /// `DOUBLE` or `FLOAT`.
    case double(Double)
    /// Text: `CHAR`, `VARCHAR`, `TEXT`, `ENUM`, `SET`, `JSON`, and also `DECIMAL` (kept as its exact
    /// decimal digits), `TIME` (`[-]HHH:MM:SS[.ffffff]`) and `BIGINT UNSIGNED` values above `Int64.max`.
    case string(String)
    /// A calendar date without time zone (`DATE`).
    case date(MariaDBDate)
    /// An instant as seconds since 1970-01-01T00:00:00Z, with a fractional part of up to
    /// microsecond precision (`DATETIME`, `TIMESTAMP`). The connection runs with the session
    /// time zone set to UTC, so `DATETIME` and `TIMESTAMP` columns hold UTC wall-clock time.
    case datetime(secondsSince1970: Double)
    /// Binary data: `BINARY`, `VARBINARY`, `BLOB`, `BIT`, `GEOMETRY`.
    case bytes([UInt8])
}

extension MariaDBValue {
    /// A short name of the case, used in error messages.
    var kindName: String {
        switch self {
        case .null: "NULL"
        case .int64: "int64"
        case .double: "double"
        case .string: "string"
        case .date: "date"
        case .datetime: "datetime"
        case .bytes: "bytes"
        }
    }
}

extension MariaDBValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension MariaDBValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int64(value) }
}

extension MariaDBValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension MariaDBValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
#endif
