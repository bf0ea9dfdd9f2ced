import NIOCore

/// QUERY: runs a CQL statement given as text.
public struct CQLQueryMessage: CQLRequestMessage, Hashable {
    public var query: String
    public var parameters: CQLQueryParameters

    public init(query: String, parameters: CQLQueryParameters) {
        self.query = query
        self.parameters = parameters
    }

    public var opcode: CQLOpcode { .query }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        buffer.writeCQLLongString(query)
        try parameters.write(to: &buffer, version: version)
    }
}
