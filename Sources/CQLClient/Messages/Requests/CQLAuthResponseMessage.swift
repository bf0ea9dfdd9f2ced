import NIOCore

/// AUTH_RESPONSE: one SASL token for the server's authenticator.
///
/// The token usually holds credentials, so descriptions and mirrors of this
/// message never show it.
public struct CQLAuthResponseMessage: CQLRequestMessage, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var token: [UInt8]?

    public init(token: [UInt8]?) {
        self.token = token
    }

    public var opcode: CQLOpcode { .authResponse }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        buffer.writeCQLBytes(token)
    }

    public var description: String { "AUTH_RESPONSE(\(token?.count ?? 0) bytes, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
