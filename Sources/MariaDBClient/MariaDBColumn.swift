#if MySQL
/// A result column: its name (or alias) as the server reports it, and what kind of data it holds.
public struct MariaDBColumn: Sendable, Hashable {
    public var name: String
    public var type: MariaDBColumnType

    public init(name: String, type: MariaDBColumnType) {
        self.name = name
        self.type = type
    }
}

/// The kind of a result column, derived from the server's field type and character set.
///
/// It decides which ``MariaDBValue`` case a column's values decode to.
public enum MariaDBColumnType: String, Sendable, Hashable {
    /// Integer types and `YEAR`: `.int64` (or `.string` for `BIGINT UNSIGNED` above `Int64.max`).
    case integer
    /// `DECIMAL`/`NUMERIC`: `.string` holding the exact digits; ``MariaDBRow/double(_:)`` converts.
    case decimal
    /// `FLOAT`, `DOUBLE`: `.double`.
    case floatingPoint
    /// Character data (`CHAR`, `VARCHAR`, `TEXT`, `ENUM`, `SET`, `JSON`): `.string`.
    case text
    /// Binary data (`BINARY`, `VARBINARY`, `BLOB`, `BIT`, `GEOMETRY`): `.bytes`.
    case binary
    /// `DATE`: `.date`.
    case date
    /// `DATETIME`, `TIMESTAMP`: `.datetime`.
    case datetime
    /// `TIME`: `.string` as `[-]HHH:MM:SS[.ffffff]`, since a `TIME` is a duration that may exceed a day.
    case time
    /// The type of a literal `NULL` in a select list: always `.null`.
    case null
}
#endif
