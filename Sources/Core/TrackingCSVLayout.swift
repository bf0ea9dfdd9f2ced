/// How the columns of a tracking CSV map to the fields of a raw event.
///
/// A file with a header row is read by column name, in any order, and columns the log does not
/// know are kept as extra fields. A file without one must have the 29 columns in their standard
/// order.
public struct TrackingCSVLayout: Sendable {
    private let fieldAt: [TrackingField?]
    private let extraNameAt: [String?]

    public var columnCount: Int { fieldAt.count }

    /// The export's own order, for files without a header.
    public static let standard = TrackingCSVLayout(fieldAt: TrackingField.allCases, extraNameAt: Array(repeating: nil, count: TrackingField.count))

    private init(fieldAt: [TrackingField?], extraNameAt: [String?]) {
        self.fieldAt = fieldAt
        self.extraNameAt = extraNameAt
    }

    /// The layout a header row declares, or `nil` when the row is data rather than a header
    /// (it names no `ts` column).
    public init?(header: [String]) {
        let names = header.map { $0.trimmingSpaces }
        guard names.contains(TrackingField.ts.rawValue) else { return nil }
        fieldAt = names.map { TrackingField(columnName: $0) }
        extraNameAt = names.map { TrackingField(columnName: $0) == nil ? $0 : nil }
    }

    /// The raw event in a data row, or why the row cannot be one.
    public func event(from fields: [String]) -> Result<RawEvent, RowError> {
        guard fields.count == fieldAt.count else {
            return .failure(.fieldCount(expected: fieldAt.count, found: fields.count))
        }
        var event = RawEvent()
        for (index, value) in fields.enumerated() where !value.isEmpty {
            if let field = fieldAt[index] {
                event[field] = value
            } else if let name = extraNameAt[index] {
                event.extra[name] = value
            }
        }
        return .success(event)
    }

    public enum RowError: Error, Equatable, CustomStringConvertible {
        case fieldCount(expected: Int, found: Int)
        public var description: String {
            switch self {
            case .fieldCount(let expected, let found): "expected \(expected) fields, found \(found)"
            }
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\u{FEFF}" { scalars.removeFirst() }
        while let last = scalars.last, last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
