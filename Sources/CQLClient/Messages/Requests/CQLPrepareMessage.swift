import NIOCore

/// PREPARE: asks the node to parse a statement once for repeated EXECUTEs.
public struct CQLPrepareMessage: CQLRequestMessage, Hashable {
    public var query: String

    public init(query: String) {
        self.query = query
    }

    public var opcode: CQLOpcode { .prepare }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        buffer.writeCQLLongString(query)
        if version >= .v5 {
            // v5 adds an [int] of flags; none are set (no per-statement keyspace).
            buffer.writeInteger(UInt32(0))
        }
    }
}
