import NIOCore

/// The <metadata> block that starts a Rows result (and ends a Prepared result).
struct RowsMetadata {
    /// Nil when the server sent no column descriptions (the No_metadata flag).
    var columns: [CQLColumn]?
    var pagingState: CQLPagingState?

    private static let globalTableSpec: Int32 = 0x0001
    private static let hasMorePages: Int32 = 0x0002
    private static let noMetadata: Int32 = 0x0004
    private static let metadataChanged: Int32 = 0x0008

    static func decode(from body: inout ByteBuffer) throws -> RowsMetadata {
        let flags = try body.readCQLInt("metadata flags")
        let columnCount = try body.readCQLInt("column count")
        guard columnCount >= 0 else {
            throw CQLClientError.malformedMessage("negative column count \(columnCount)")
        }
        var metadata = RowsMetadata(columns: nil)
        if flags & hasMorePages != 0, let state = try body.readCQLBytesArray("paging state") {
            metadata.pagingState = CQLPagingState(bytes: state)
        }
        if flags & metadataChanged != 0 {
            // v5 announces a new result metadata id here. It only matters to clients that
            // ask for metadata to be skipped, which this module never does, so full
            // column descriptions always follow.
            _ = try body.readCQLShortBytes("new metadata id")
        }
        if flags & noMetadata == 0 {
            metadata.columns = try decodeColumnSpecs(
                from: &body,
                count: Int(columnCount),
                hasGlobalTableSpec: flags & globalTableSpec != 0
            )
        }
        return metadata
    }

    /// Reads `[<global_table_spec>]<col_spec_1>...<col_spec_n>`.
    static func decodeColumnSpecs(from body: inout ByteBuffer, count: Int, hasGlobalTableSpec: Bool) throws -> [CQLColumn] {
        var globalKeyspace = ""
        var globalTable = ""
        if hasGlobalTableSpec {
            globalKeyspace = try body.readCQLString("global keyspace")
            globalTable = try body.readCQLString("global table")
        }
        var columns: [CQLColumn] = []
        columns.reserveCapacity(count)
        for _ in 0..<count {
            let keyspace = hasGlobalTableSpec ? globalKeyspace : try body.readCQLString("column keyspace")
            let table = hasGlobalTableSpec ? globalTable : try body.readCQLString("column table")
            let name = try body.readCQLString("column name")
            let type = try CQLDataType.decode(from: &body)
            columns.append(CQLColumn(keyspace: keyspace, table: table, name: name, type: type))
        }
        return columns
    }
}
