#if MySQL
import CMariaDB

/// Connector/C's character set number for binary strings: BLOB and BINARY columns use it,
/// TEXT and CHAR columns carry their real character set.
private let binaryCharsetNumber: UInt32 = 63

extension MariaDBColumn {
    /// The column as described by the result metadata of a prepared statement.
    init(field: MYSQL_FIELD) {
        self.init(name: String(cString: field.name), type: MariaDBColumnType(field: field))
    }
}

extension MariaDBColumnType {
    init(field: MYSQL_FIELD) {
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_INT24, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG,
            MYSQL_TYPE_YEAR:
            self = .integer
        case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            self = .decimal
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            self = .floatingPoint
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE:
            self = .date
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_TIMESTAMP2:
            self = .datetime
        case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2:
            self = .time
        case MYSQL_TYPE_NULL:
            self = .null
        case MYSQL_TYPE_JSON, MYSQL_TYPE_ENUM, MYSQL_TYPE_SET:
            // MySQL 8 labels JSON with the binary character set, yet its values are UTF-8 text.
            self = .text
        case MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY:
            self = .binary
        default:
            self = field.charsetnr == binaryCharsetNumber ? .binary : .text
        }
    }
}
#endif
