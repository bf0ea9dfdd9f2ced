import NIOCore

/// Where a paged query stopped; pass it back in ``CQLQueryOptions/pagingState`` to get the next page.
///
/// Opaque, and only valid with the same statement and protocol version.
public struct CQLPagingState: Sendable, Hashable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// A Rows result: one page of rows with their column descriptions.
public struct CQLRows: Sendable {
    private let layout: CQLColumnLayout
    /// The rows of this page.
    public let rows: [CQLRow]
    /// Set when more rows follow this page.
    public let pagingState: CQLPagingState?

    init(layout: CQLColumnLayout, rows: [CQLRow], pagingState: CQLPagingState?) {
        self.layout = layout
        self.rows = rows
        self.pagingState = pagingState
    }

    public var columns: [CQLColumn] { layout.columns }

    public var hasMorePages: Bool { pagingState != nil }

    static func decode(from body: inout ByteBuffer) throws -> CQLRows {
        let metadata = try RowsMetadata.decode(from: &body)
        guard let columns = metadata.columns else {
            throw CQLClientError.malformedMessage("rows without column metadata")
        }
        let layout = CQLColumnLayout(columns: columns)
        let rowCount = try body.readCQLInt("row count")
        guard rowCount >= 0 else {
            throw CQLClientError.malformedMessage("negative row count \(rowCount)")
        }
        var rows: [CQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for _ in 0..<rowCount {
            var values: [CQLValue] = []
            values.reserveCapacity(columns.count)
            for column in columns {
                values.append(try CQLValue.decode(try body.readCQLBytes("cell of \(column.name)"), as: column.type))
            }
            rows.append(CQLRow(layout: layout, values: values))
        }
        return CQLRows(layout: layout, rows: rows, pagingState: metadata.pagingState)
    }
}
