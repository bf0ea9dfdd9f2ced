#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

extension UUID {
    /// Makes a version 1 (time-based) UUID, as stored in `timeuuid` columns.
    ///
    /// The timestamp counts 100-nanosecond intervals since 1582-10-15. The node is
    /// random, fixed for the process, with its multicast bit set as RFC 4122 asks for
    /// nodes that are not a MAC address.
    ///
    /// Calls for the current time never repeat a UUID within the process: a call that
    /// lands on (or up to a millisecond before) the last interval handed out takes the
    /// next interval. A date further in the past keeps its exact timestamp and gets a
    /// random clock sequence, as RFC 4122 does when the clock goes backwards.
    public static func timeBased(at date: Date = Date()) -> UUID {
        let requested = TimeUUIDClock.intervals(since1582For: date)
        let (intervals, clockSequence, node) = TimeUUIDClock.state.withLockedValue { state in
            if requested > state.lastIntervals {
                state.lastIntervals = requested
            } else if state.lastIntervals - requested <= TimeUUIDClock.sameInstantWindow {
                state.lastIntervals += 1
            } else {
                return (requested, UInt16.random(in: 0...0x3FFF), state.node)
            }
            return (state.lastIntervals, state.clockSequence, state.node)
        }
        return timeBased(intervals: intervals, clockSequence: clockSequence, node: node)
    }

    /// Assembles a version 1 UUID from its fields.
    static func timeBased(intervals: UInt64, clockSequence: UInt16, node: [UInt8]) -> UUID {
        let timeLow = UInt32(truncatingIfNeeded: intervals)
        let timeMid = UInt16(truncatingIfNeeded: intervals >> 32)
        let timeHighAndVersion = UInt16(truncatingIfNeeded: intervals >> 48) & 0x0FFF | 0x1000
        let clockHigh = UInt8(truncatingIfNeeded: clockSequence >> 8) & 0x3F | 0x80
        let clockLow = UInt8(truncatingIfNeeded: clockSequence)
        return UUID(uuid: (
            UInt8(timeLow >> 24), UInt8(truncatingIfNeeded: timeLow >> 16),
            UInt8(truncatingIfNeeded: timeLow >> 8), UInt8(truncatingIfNeeded: timeLow),
            UInt8(timeMid >> 8), UInt8(truncatingIfNeeded: timeMid),
            UInt8(timeHighAndVersion >> 8), UInt8(truncatingIfNeeded: timeHighAndVersion),
            clockHigh, clockLow,
            node[0], node[1], node[2], node[3], node[4], node[5]
        ))
    }

    /// The instant a version 1 UUID was made at, or nil for other versions.
    public var timeBasedDate: Date? {
        let bytes = uuid
        guard bytes.6 >> 4 == 1 else { return nil }
        let timeLow = UInt64(bytes.0) << 24 | UInt64(bytes.1) << 16 | UInt64(bytes.2) << 8 | UInt64(bytes.3)
        let timeMid = UInt64(bytes.4) << 8 | UInt64(bytes.5)
        let timeHigh = UInt64(bytes.6 & 0x0F) << 8 | UInt64(bytes.7)
        let intervals = timeHigh << 48 | timeMid << 32 | timeLow
        let sinceEpoch = Int64(bitPattern: intervals) - TimeUUIDClock.intervalsFrom1582To1970
        return Date(timeIntervalSince1970: Double(sinceEpoch) / 10_000_000)
    }
}

/// Process-wide state that keeps generated time UUIDs unique.
private enum TimeUUIDClock {
    struct State {
        var lastIntervals: UInt64 = 0
        let clockSequence = UInt16.random(in: 0...0x3FFF)
        let node: [UInt8] = {
            var bytes = (0..<6).map { _ in UInt8.random(in: 0...255) }
            bytes[0] |= 0x01
            return bytes
        }()
    }

    static let state = NIOLockedValueBox(State())

    /// How far behind the last interval a request still counts as "now" (one millisecond).
    static let sameInstantWindow: UInt64 = 10_000

    /// 100-nanosecond intervals between 1582-10-15 and 1970-01-01 (141,427 days).
    static let intervalsFrom1582To1970: Int64 = 141_427 * 86_400 * 10_000_000

    static func intervals(since1582For date: Date) -> UInt64 {
        let sinceEpoch = Int64((date.timeIntervalSince1970 * 10_000_000).rounded(.down))
        return UInt64(max(sinceEpoch + intervalsFrom1582To1970, 0))
    }
}
