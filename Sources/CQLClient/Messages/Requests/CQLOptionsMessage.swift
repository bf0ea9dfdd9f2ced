import NIOCore

/// OPTIONS: asks which STARTUP options the server supports. The body is empty.
public struct CQLOptionsMessage: CQLRequestMessage, Hashable {
    public init() {}

    public var opcode: CQLOpcode { .options }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {}
}
