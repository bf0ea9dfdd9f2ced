import Foundation

/// A version 1 (time-based) UUID, ordered the way Cassandra orders a `timeuuid` clustering
/// column: by its 60-bit timestamp first, then by its last eight bytes (clock sequence and node)
/// compared one by one as *signed* bytes. A plain byte-wise or `UUID` comparison disagrees with
/// the server on both counts (the timestamp's fields are stored low part first), so positions
/// are only ever compared with this type.
public struct TimeUUID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let uuid: UUID

    /// Intervals of 100 ns between 1582-10-15 (the UUID epoch) and 1970-01-01.
    static let intervalsBeforeUnixEpoch: Int64 = 122_192_928_000_000_000
    /// Intervals of 100 ns in one millisecond.
    static let intervalsPerMillisecond: Int64 = 10_000
    static let intervalsPerSecond: Int64 = 10_000_000

    /// Nil when `uuid` is not a version 1 UUID.
    public init?(_ uuid: UUID) {
        guard uuid.uuid.6 >> 4 == 1 else { return nil }
        self.uuid = uuid
    }

    /// A version 1 UUID with the given timestamp (100 ns intervals since 1582-10-15) and last
    /// eight bytes, taken as they are (the bounds below need tails no generator would make).
    init(timestamp: Int64, tail: [UInt8]) {
        precondition(tail.count == 8)
        let time = UInt64(max(timestamp, 0)) & 0x0FFF_FFFF_FFFF_FFFF
        let low = UInt32(truncatingIfNeeded: time)
        let mid = UInt16(truncatingIfNeeded: time >> 32)
        let high = UInt16(truncatingIfNeeded: time >> 48) | 0x1000
        uuid = UUID(
            uuid: (
                UInt8(low >> 24), UInt8(truncatingIfNeeded: low >> 16), UInt8(truncatingIfNeeded: low >> 8), UInt8(truncatingIfNeeded: low),
                UInt8(mid >> 8), UInt8(truncatingIfNeeded: mid),
                UInt8(high >> 8), UInt8(truncatingIfNeeded: high),
                tail[0], tail[1], tail[2], tail[3], tail[4], tail[5], tail[6], tail[7]
            ))
    }

    /// The smallest `timeuuid` Cassandra orders at `timestamp`: every tail byte is -128.
    public static func lowest(atTimestamp timestamp: Int64) -> TimeUUID {
        TimeUUID(timestamp: timestamp, tail: Array(repeating: 0x80, count: 8))
    }

    /// The greatest `timeuuid` Cassandra orders at `timestamp`: every tail byte is 127.
    public static func highest(atTimestamp timestamp: Int64) -> TimeUUID {
        TimeUUID(timestamp: timestamp, tail: Array(repeating: 0x7F, count: 8))
    }

    /// The timestamp: 100 ns intervals since 1582-10-15.
    public var timestamp: Int64 {
        let b = uuid.uuid
        let high = Int64(b.6 & 0x0F) << 56 | Int64(b.7) << 48
        let mid = Int64(b.4) << 40 | Int64(b.5) << 32
        let low = Int64(b.0) << 24 | Int64(b.1) << 16 | Int64(b.2) << 8 | Int64(b.3)
        return high | mid | low
    }

    /// The timestamp as 100 ns intervals since 1970-01-01.
    public var unixIntervals: Int64 { timestamp - Self.intervalsBeforeUnixEpoch }

    /// The timestamp in whole milliseconds since 1970-01-01, rounded down.
    public var unixMilliseconds: Int64 { Self.floorDivide(unixIntervals, Self.intervalsPerMillisecond) }

    /// The timestamp for a Unix time in 100 ns intervals.
    public static func timestamp(unixIntervals: Int64) -> Int64 { unixIntervals + intervalsBeforeUnixEpoch }

    /// The last eight bytes as Cassandra compares them.
    private var signedTail: [Int8] {
        let b = uuid.uuid
        return [b.8, b.9, b.10, b.11, b.12, b.13, b.14, b.15].map { Int8(bitPattern: $0) }
    }

    public static func < (lhs: TimeUUID, rhs: TimeUUID) -> Bool {
        if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
        return lhs.signedTail.lexicographicallyPrecedes(rhs.signedTail)
    }

    public var description: String { uuid.uuidString.lowercased() }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
