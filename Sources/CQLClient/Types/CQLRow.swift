/// One row of a result.
public struct CQLRow: Sendable {
    private let layout: CQLColumnLayout
    /// The cells, in column order.
    public let values: [CQLValue]

    init(layout: CQLColumnLayout, values: [CQLValue]) {
        self.layout = layout
        self.values = values
    }

    public var columns: [CQLColumn] { layout.columns }

    /// The cell of the named column, or nil when the row has no such column.
    public subscript(column: String) -> CQLValue? {
        layout.index(of: column).map { values[$0] }
    }

    /// Reads the named column as `type`.
    ///
    /// - Throws: ``CQLRowDecodingError`` when the column is missing, null (and `T` is not optional),
    ///   or of a type that does not convert to `T`.
    public func decode<T: CQLValueDecodable>(_ type: T.Type = T.self, column: String) throws -> T {
        guard let index = layout.index(of: column) else {
            throw CQLRowDecodingError.columnMissing(column: column, available: layout.columns.map(\.name))
        }
        return try decode(type, at: index)
    }

    /// Reads the cell at `index` as `type`.
    public func decode<T: CQLValueDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard values.indices.contains(index) else {
            throw CQLRowDecodingError.columnMissing(column: "#\(index)", available: layout.columns.map(\.name))
        }
        let value = values[index]
        if let converted = T(cqlValue: value) {
            return converted
        }
        let column = layout.columns[index]
        if value.isNull {
            throw CQLRowDecodingError.unexpectedNull(column: column.name, expected: "\(T.self)")
        }
        throw CQLRowDecodingError.typeMismatch(column: column.name, columnType: column.type, expected: "\(T.self)")
    }
}
