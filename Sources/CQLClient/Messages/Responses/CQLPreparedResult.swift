import NIOCore

/// A Prepared result, as decoded from the wire.
public struct CQLPreparedResult: Sendable, Hashable {
    /// The id to send in EXECUTE.
    public var id: [UInt8]
    /// v5: identifies the result metadata; sent back in EXECUTE.
    public var resultMetadataID: [UInt8]?
    /// One entry per bind marker, in order.
    public var bindMarkers: [CQLColumn]
    /// Which bind markers form the partition key, in partition key order (v4+).
    public var partitionKeyIndexes: [UInt16]
    /// The columns an execution will return; empty for statements that return no rows.
    public var resultColumns: [CQLColumn]

    public init(
        id: [UInt8],
        resultMetadataID: [UInt8]? = nil,
        bindMarkers: [CQLColumn],
        partitionKeyIndexes: [UInt16] = [],
        resultColumns: [CQLColumn] = []
    ) {
        self.id = id
        self.resultMetadataID = resultMetadataID
        self.bindMarkers = bindMarkers
        self.partitionKeyIndexes = partitionKeyIndexes
        self.resultColumns = resultColumns
    }

    static func decode(from body: inout ByteBuffer, version: CQLProtocolVersion) throws -> CQLPreparedResult {
        let id = try body.readCQLShortBytes("prepared id")
        let resultMetadataID = version >= .v5 ? try body.readCQLShortBytes("result metadata id") : nil
        let flags = try body.readCQLInt("prepared metadata flags")
        let markerCount = try body.readCQLInt("bind marker count")
        guard markerCount >= 0 else {
            throw CQLClientError.malformedMessage("negative bind marker count \(markerCount)")
        }
        var partitionKeyIndexes: [UInt16] = []
        if version >= .v4 {
            let keyCount = try body.readCQLInt("partition key count")
            for _ in 0..<max(keyCount, 0) {
                partitionKeyIndexes.append(try body.readCQLShort("partition key index"))
            }
        }
        let bindMarkers = try RowsMetadata.decodeColumnSpecs(
            from: &body,
            count: Int(markerCount),
            hasGlobalTableSpec: flags & 0x0001 != 0
        )
        let resultMetadata = try RowsMetadata.decode(from: &body)
        return CQLPreparedResult(
            id: id,
            resultMetadataID: resultMetadataID,
            bindMarkers: bindMarkers,
            partitionKeyIndexes: partitionKeyIndexes,
            resultColumns: resultMetadata.columns ?? []
        )
    }
}
