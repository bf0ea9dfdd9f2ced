/// Why a cell could not be read into the requested Swift type.
public enum CQLRowDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The result has no column of that name.
    case columnMissing(column: String, available: [String])
    /// The cell is null and the requested type is not optional.
    case unexpectedNull(column: String, expected: String)
    /// The column's CQL type does not convert to the requested Swift type.
    case typeMismatch(column: String, columnType: CQLDataType, expected: String)

    public var description: String {
        switch self {
        case .columnMissing(let column, let available):
            "no column '\(column)' in result (columns: \(available.joined(separator: ", ")))"
        case .unexpectedNull(let column, let expected):
            "column '\(column)' is null, cannot read it as \(expected)"
        case .typeMismatch(let column, let columnType, let expected):
            "column '\(column)' is \(columnType), cannot read it as \(expected)"
        }
    }
}
