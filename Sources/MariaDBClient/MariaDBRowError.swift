#if MySQL
/// Why a typed getter of ``MariaDBRow`` could not return a value. Every case names the column.
public enum MariaDBRowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The row has no column with this name; `available` lists the names it does have.
    case unknownColumn(String, available: [String])
    /// The column holds SQL `NULL`, but a non-optional value was asked for.
    case unexpectedNull(column: String)
    /// The column holds a value of another kind (`found`) than the getter returns (`expected`).
    case typeMismatch(column: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .unknownColumn(let name, let available):
            "no column named \"\(name)\" (columns: \(available.map { "\"\($0)\"" }.joined(separator: ", ")))"
        case .unexpectedNull(let column):
            "column \"\(column)\" is NULL"
        case .typeMismatch(let column, let expected, let found):
            "column \"\(column)\" holds \(found), not \(expected)"
        }
    }
}
#endif
