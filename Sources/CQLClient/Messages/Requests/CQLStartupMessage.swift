import NIOCore

/// STARTUP: opens the session. The body is a [string map] of options.
public struct CQLStartupMessage: CQLRequestMessage, Hashable {
    /// The only CQL version the protocol defines.
    public static let cqlVersion = "3.0.0"

    public var options: [String: String]

    public init(options: [String: String] = ["CQL_VERSION": CQLStartupMessage.cqlVersion]) {
        self.options = options
    }

    public var opcode: CQLOpcode { .startup }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        try buffer.writeCQLStringMap(options.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
    }
}
