/// A native protocol version number.
///
/// On the wire the version shares its byte with the direction bit (see ``CQLFrame``);
/// this type only holds the seven low bits.
public struct CQLProtocolVersion: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x7F
    }

    public static let v3 = CQLProtocolVersion(rawValue: 3)
    public static let v4 = CQLProtocolVersion(rawValue: 4)
    /// Version 5 wraps envelopes in checksummed frames once STARTUP has been answered.
    public static let v5 = CQLProtocolVersion(rawValue: 5)

    /// The versions this module can speak, newest first.
    public static let supported: [CQLProtocolVersion] = [.v5, .v4, .v3]

    public static func < (lhs: CQLProtocolVersion, rhs: CQLProtocolVersion) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String { "v\(rawValue)" }

    /// From v5 on, QUERY, EXECUTE and BATCH carry their flags as an [int] instead of a [byte].
    var hasIntegerQueryFlags: Bool { self >= .v5 }

    /// From v5 on, everything after the STARTUP exchange travels inside checksummed frames.
    var usesChecksummedFraming: Bool { self >= .v5 }
}
