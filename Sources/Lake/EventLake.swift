import JobPulseCore

/// A place in a lake's order of arrival. Positions only grow: an event appended later has a
/// greater position. Each lake encodes its own (SQLite: the row id; Cassandra: bucket and
/// time-based UUID), so outside the lake a position is an opaque token that is stored and
/// handed back.
public struct LakePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    public let token: String
    public init(_ token: String) { self.token = token }
    public var description: String { token }
}

/// An event as the lake holds it: the raw event, where it sits, and when it arrived.
public struct LakeRecord: Sendable {
    public var position: LakePosition
    /// Arrival time, epoch milliseconds.
    public var receivedAt: Int64
    public var event: RawEvent

    public init(position: LakePosition, receivedAt: Int64, event: RawEvent) {
        self.position = position
        self.receivedAt = receivedAt
        self.event = event
    }
}

/// An event's typed values as the lake stored them at admission: all the ETL reads of it.
public struct NormalizedRecord: Sendable {
    public var position: LakePosition
    /// `nil` when the rules could not read the event's `ts` (see ``AdmittedEvent/normalized``).
    public var event: NormalizedEvent?

    public init(position: LakePosition, event: NormalizedEvent?) {
        self.position = position
        self.event = event
    }
}

/// What `jobpulse reprocess` did: every event's typed values computed again from its raw fields.
public struct ReprocessReport: Sendable, Hashable {
    /// Events read.
    public var events = 0
    /// Events whose typed values differ from what was stored, and were rewritten.
    public var changed = 0

    public init(events: Int = 0, changed: Int = 0) {
        self.events = events
        self.changed = changed
    }
}

/// A rejected input row as the quarantine keeps it.
public struct QuarantinedRow: Sendable {
    public var id: Int64
    public var receivedAt: Int64
    public var rejection: Rejection
}

/// The raw event lake: an append-only store of every accepted tracking event, and a quarantine
/// for the rows that were not accepted.
///
/// The ETL reads it forward from a position; nothing in it is ever updated or deleted.
public protocol EventLake: Sendable {
    /// The lake's kind as the warehouse records it in `sources` (`sqlite`, `cassandra`).
    var kind: String { get }

    /// A stable identity of this lake's data, so that a warehouse fed by one lake is never
    /// advanced with positions of another.
    func identity() async throws -> String

    /// Stores several intakes, some of them keyed, and answers one outcome per write, in order.
    ///
    /// A keyed write whose key the lake has recorded within its window (by an earlier call, by
    /// another process, or by an earlier write of the same call) stores nothing and is answered
    /// with the receipt recorded first. Otherwise its events, its rejections and its key with its
    /// receipt are stored together: a lake never holds a key without the events it covers, nor
    /// those events without the key. Where the lake has transactions (SQLite) all the writes are
    /// one transaction; Cassandra's way of keeping that promise is in `docs/cassandra.md`.
    func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome]

    /// Up to `limit` events after `position` (from the beginning when `nil`), in position order,
    /// with their raw fields.
    func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord]

    /// Like ``read(after:limit:)``, but only the typed values stored at admission: what the ETL
    /// reads, and far less than the raw fields.
    func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord]

    /// Computes every event's typed values again from its raw fields with the current rules, and
    /// rewrites those that differ. `progress` is called with the events read so far.
    func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport

    /// How many events lie after `position` (all of them when `nil`): exact when ``countLimit``
    /// is `nil`, otherwise a lower bound once it reaches that limit (see ``isLowerBound(_:)``).
    func count(after position: LakePosition?) async throws -> Int

    /// `nil` when ``count(after:)`` is exact (SQLite: it adds up chunk sizes). A Cassandra lake
    /// counts bucket by bucket and stops after about this many events, so that one count does
    /// bounded work; repeated counts from the same position go on and converge on the exact
    /// figure (docs/cassandra.md, "Counting").
    var countLimit: Int? { get }

    /// The newest rejected rows, newest first, and how many there are in all.
    func quarantine(limit: Int) async throws -> (rows: [QuarantinedRow], total: Int)

    /// Lets operations in flight finish and releases connections; the lake is unusable after it.
    func close() async
}

extension EventLake {
    /// A lake without connections (a file) has nothing to release.
    public func close() async {}

    /// Whether `count`, a result of ``count(after:)``, may be short of the true figure.
    public func isLowerBound(_ count: Int) -> Bool {
        countLimit.map { count >= $0 } ?? false
    }
}

extension EventLake {
    /// Stores `events`, typed by the rules, and `rejections` together: when this returns, both
    /// are durable; when it throws, neither was stored. No admission check is made: the intake
    /// paths admit through ``IntakeBatch``; this is for writing a lake directly (tests, tools).
    public func write(_ events: [RawEvent], rejections: [Rejection]) async throws {
        _ = try await write([LakeWrite(events: events.map(AdmittedEvent.init), rejections: rejections)])
    }
}
