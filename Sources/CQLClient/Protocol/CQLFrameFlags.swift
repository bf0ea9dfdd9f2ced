/// The flags byte of a frame header.
public struct CQLFrameFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The body is compressed with the algorithm chosen at STARTUP (not used by this module).
    public static let compression = CQLFrameFlags(rawValue: 0x01)
    /// Request: trace this request. Response: the body starts with a tracing [uuid].
    public static let tracing = CQLFrameFlags(rawValue: 0x02)
    /// The body carries a custom payload ([bytes map]).
    public static let customPayload = CQLFrameFlags(rawValue: 0x04)
    /// Response only: the body carries server warnings ([string list]).
    public static let warning = CQLFrameFlags(rawValue: 0x08)
    /// v5: the client opts in to a protocol version the server marks as beta.
    public static let useBeta = CQLFrameFlags(rawValue: 0x10)
}
