/// A value bound to or read from a statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// The value as an integer: an integral double or a decimal's text counts (MySQL returns a
    /// `SUM` as DECIMAL); `nil` for NULL and for anything else.
    public var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v): Int64(exactly: v.rounded())
        case .text(let s): Int64(s)
        case .null: nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .text(let s): Double(s)
        case .null: nil
        }
    }

    public var text: String? {
        switch self {
        case .text(let s): s
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .null: nil
        }
    }
}

extension SQLValue {
    public init(_ value: Int32?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}
