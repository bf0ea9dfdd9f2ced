import NIOCore

/// A message a client sends. Conforming types write their body; the frame header
/// is added by ``frame(version:streamID:flags:allocator:)`` or by a connection.
public protocol CQLRequestMessage: Sendable {
    var opcode: CQLOpcode { get }

    /// Writes the body as the given protocol version lays it out.
    func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws
}

extension CQLRequestMessage {
    /// Builds the complete request frame.
    public func frame(
        version: CQLProtocolVersion,
        streamID: Int16,
        flags: CQLFrameFlags = [],
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> CQLFrame {
        var body = allocator.buffer(capacity: 64)
        try encodeBody(into: &body, version: version)
        return CQLFrame(version: version, direction: .request, flags: flags, streamID: streamID, opcode: opcode, body: body)
    }
}
