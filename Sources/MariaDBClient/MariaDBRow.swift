#if MySQL
/// One row of a query result.
///
/// Columns are looked up by the exact name (or alias) the server reports; when two columns
/// share a name, the first one wins. The typed getters convert only where no information is
/// lost, and otherwise throw a ``MariaDBRowError`` naming the column.
public struct MariaDBRow: Sendable, Hashable {
    public let columns: [MariaDBColumn]
    public let values: [MariaDBValue]

    public init(columns: [MariaDBColumn], values: [MariaDBValue]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    /// The value of the column with this name, or `nil` if there is no such column.
    public subscript(column: String) -> MariaDBValue? {
        columns.firstIndex { $0.name == column }.map { values[$0] }
    }

    /// The value of the column with this name.
    public func value(_ column: String) throws(MariaDBRowError) -> MariaDBValue {
        guard let index = columns.firstIndex(where: { $0.name == column }) else {
            throw .unknownColumn(column, available: columns.map(\.name))
        }
        return values[index]
    }

    /// Whether the column holds SQL `NULL`.
    public func isNull(_ column: String) throws(MariaDBRowError) -> Bool {
        try value(column) == .null
    }

    /// An integer column, or a `DECIMAL` column whose value is a whole number within `Int64`.
    public func int64(_ column: String) throws(MariaDBRowError) -> Int64 {
        switch try nonNull(column, expected: "int64") {
        case .int64(let value):
            return value
        case .string(let digits) where isDecimal(column):
            if let value = Int64(digits) { return value }
            throw .typeMismatch(column: column, expected: "int64", found: "the decimal \(digits)")
        case let other:
            throw .typeMismatch(column: column, expected: "int64", found: other.kindName)
        }
    }

    /// An integer column as `Int`.
    public func int(_ column: String) throws(MariaDBRowError) -> Int {
        Int(try int64(column))
    }

    /// A `DOUBLE`/`FLOAT` column, or an integer or `DECIMAL` column converted to `Double`.
    public func double(_ column: String) throws(MariaDBRowError) -> Double {
        switch try nonNull(column, expected: "double") {
        case .double(let value):
            return value
        case .int64(let value):
            return Double(value)
        case .string(let digits) where isDecimal(column):
            if let value = Double(digits) { return value }
            throw .typeMismatch(column: column, expected: "double", found: "the decimal \(digits)")
        case let other:
            throw .typeMismatch(column: column, expected: "double", found: other.kindName)
        }
    }

    /// A text column (including `DECIMAL` digits and `TIME` values).
    public func string(_ column: String) throws(MariaDBRowError) -> String {
        switch try nonNull(column, expected: "string") {
        case .string(let value):
            return value
        case let other:
            throw .typeMismatch(column: column, expected: "string", found: other.kindName)
        }
    }

    /// A binary column, or a text column as its UTF-8 bytes.
    public func bytes(_ column: String) throws(MariaDBRowError) -> [UInt8] {
        switch try nonNull(column, expected: "bytes") {
        case .bytes(let value):
            return value
        case .string(let value):
            return Array(value.utf8)
        case let other:
            throw .typeMismatch(column: column, expected: "bytes", found: other.kindName)
        }
    }

    /// A `DATE` column.
    public func date(_ column: String) throws(MariaDBRowError) -> MariaDBDate {
        switch try nonNull(column, expected: "date") {
        case .date(let value):
            return value
        case let other:
            throw .typeMismatch(column: column, expected: "date", found: other.kindName)
        }
    }

    /// A `DATETIME`/`TIMESTAMP` column as seconds since 1970-01-01T00:00:00Z.
    public func datetime(_ column: String) throws(MariaDBRowError) -> Double {
        switch try nonNull(column, expected: "datetime") {
        case .datetime(let seconds):
            return seconds
        case let other:
            throw .typeMismatch(column: column, expected: "datetime", found: other.kindName)
        }
    }

    private func nonNull(_ column: String, expected: String) throws(MariaDBRowError) -> MariaDBValue {
        let found = try value(column)
        if found == .null { throw .unexpectedNull(column: column) }
        return found
    }

    private func isDecimal(_ column: String) -> Bool {
        columns.first { $0.name == column }?.type == .decimal
    }
}
#endif
