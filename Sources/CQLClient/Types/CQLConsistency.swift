/// A consistency level, sent as a [short] on the wire.
public enum CQLConsistency: UInt16, Sendable, Hashable, CaseIterable {
    case any = 0x0000
    case one = 0x0001
    case two = 0x0002
    case three = 0x0003
    case quorum = 0x0004
    case all = 0x0005
    case localQuorum = 0x0006
    case eachQuorum = 0x0007
    /// Only meaningful as the serial consistency of a conditional update.
    case serial = 0x0008
    /// Only meaningful as the serial consistency of a conditional update.
    case localSerial = 0x0009
    case localOne = 0x000A
}
