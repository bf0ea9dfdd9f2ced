#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reading the instant of a `timeuuid`. The client makes none: an application that writes time
/// UUIDs makes them with its own clock and node, which it alone knows how to keep unique.
extension UUID {
    /// The instant a version 1 UUID was made at, or nil for other versions.
    public var timeBasedDate: Date? {
        let bytes = uuid
        guard bytes.6 >> 4 == 1 else { return nil }
        let timeLow = UInt64(bytes.0) << 24 | UInt64(bytes.1) << 16 | UInt64(bytes.2) << 8 | UInt64(bytes.3)
        let timeMid = UInt64(bytes.4) << 8 | UInt64(bytes.5)
        let timeHigh = UInt64(bytes.6 & 0x0F) << 8 | UInt64(bytes.7)
        let intervals = timeHigh << 48 | timeMid << 32 | timeLow
        let sinceEpoch = Int64(bitPattern: intervals) - TimeUUIDEpoch.intervalsFrom1582To1970
        return Date(timeIntervalSince1970: Double(sinceEpoch) / 10_000_000)
    }
}

private enum TimeUUIDEpoch {
    /// 100-nanosecond intervals between 1582-10-15 and 1970-01-01 (141,427 days).
    static let intervalsFrom1582To1970: Int64 = 141_427 * 86_400 * 10_000_000
}
