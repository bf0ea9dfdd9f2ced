import Synchronization

/// Hands out the `ingest_id`s of one lake instance: version 1 UUIDs whose time is the instant of
/// the write (from the lake's clock), strictly increasing within the instance even when many
/// events share an instant or the clock steps back. Ids that run ahead of the clock that way are
/// harmless to readers: such an event is visible before its id's time, and merely waits longer.
///
/// The lake makes its own ids rather than using CQLClient's process-wide generator so that they
/// follow the lake's clock, which tests set.
///
/// The node (with the multicast bit set, as RFC 4122 asks for random nodes) and the clock sequence
/// are random per instance, so instances in several processes never make the same id.
final class IngestIDGenerator: Sendable {
    private let tail: [UInt8]
    private let lastTimestamp = Mutex<Int64>(0)

    init() {
        var node = (0..<6).map { _ in UInt8.random(in: 0...255) }
        node[0] |= 0x01
        let sequence = UInt16.random(in: 0...0x3FFF)
        tail = [UInt8(sequence >> 8) | 0x80, UInt8(truncatingIfNeeded: sequence)] + node
    }

    /// `count` consecutive ids at the instant `unixMilliseconds`, or just after the last ones.
    func next(_ count: Int, atUnixMilliseconds unixMilliseconds: Int64) -> [TimeUUID] {
        guard count > 0 else { return [] }
        let requested = TimeUUID.timestamp(unixIntervals: unixMilliseconds * TimeUUID.intervalsPerMillisecond)
        let first = lastTimestamp.withLock { last in
            let first = max(requested, last + 1)
            last = first + Int64(count) - 1
            return first
        }
        return (0..<Int64(count)).map { TimeUUID(timestamp: first + $0, tail: tail) }
    }
}
