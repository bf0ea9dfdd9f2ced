import NIOCore

/// EXECUTE: runs a prepared statement.
public struct CQLExecuteMessage: CQLRequestMessage, Hashable {
    public var id: [UInt8]
    /// v5 only: the result metadata id from the Prepared result.
    public var resultMetadataID: [UInt8]?
    public var parameters: CQLQueryParameters

    public init(id: [UInt8], resultMetadataID: [UInt8]? = nil, parameters: CQLQueryParameters) {
        self.id = id
        self.resultMetadataID = resultMetadataID
        self.parameters = parameters
    }

    public var opcode: CQLOpcode { .execute }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        try buffer.writeCQLShortBytes(id)
        if version >= .v5 {
            try buffer.writeCQLShortBytes(resultMetadataID ?? [])
        }
        try parameters.write(to: &buffer, version: version)
    }
}
