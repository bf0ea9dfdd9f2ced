import Foundation
import JobPulseCore
import JobPulseTestSupport
import Testing

@testable import JobPulseLake

/// The Cassandra lake's position arithmetic, without a server: buckets, the safety lag, the
/// walk through buckets, tokens, and Cassandra's `timeuuid` order.
@Suite struct CassandraPositionTests {
    static let t0: Int64 = 1_764_410_400_000  // 2025-11-29T10:00:00Z, on a minute
    let layout = BucketLayout(bucketSeconds: 60, safetyLagMilliseconds: 5_000)

    /// A `timeuuid` at an instant, with a tail.
    static func id(_ unixMilliseconds: Int64, plus intervals: Int64 = 0, tail: UInt8 = 0x9A) -> TimeUUID {
        TimeUUID(
            timestamp: TimeUUID.timestamp(unixIntervals: unixMilliseconds * 10_000) + intervals,
            tail: [0x80 | tail >> 2, tail, 1, 2, 3, 4, 5, tail])
    }

    // MARK: Order and bounds

    @Test func timeuuidsOrderByTimeThenBySignedTailBytes() throws {
        // A later time sorts after, even where the UUID's bytes (time_low first) say otherwise.
        let early = TimeUUID(timestamp: 0x0000_0001_FFFF_FFFF, tail: [0x80, 0, 0, 0, 0, 0, 0, 0])
        let late = TimeUUID(timestamp: 0x0000_0002_0000_0000, tail: [0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(early < late)
        #expect(early.uuid.uuidString > late.uuid.uuidString)
        // At one time, tail bytes compare signed: 0x80 (-128) before 0x7F (127).
        let negative = TimeUUID(timestamp: 1_000, tail: [0x80, 0, 0, 0, 0, 0, 0, 0])
        let positive = TimeUUID(timestamp: 1_000, tail: [0x7F, 0, 0, 0, 0, 0, 0, 0])
        #expect(negative < positive)
        #expect(!(positive < negative))
        #expect(TimeUUID(timestamp: 1_000, tail: [0x90, 0xFF, 0, 0, 0, 0, 0, 0]) < TimeUUID(timestamp: 1_000, tail: [0x90, 0x00, 0, 0, 0, 0, 0, 0]))
    }

    @Test func boundsBracketEveryIDOfAnInstant() {
        let time = TimeUUID.timestamp(unixIntervals: Self.t0 * 10_000)
        for tail: UInt8 in [0x00, 0x3F, 0x7F, 0x80, 0xBF, 0xFF] {
            let id = TimeUUID(timestamp: time, tail: [tail, tail, tail, tail, tail, tail, tail, tail &+ 1])
            #expect(TimeUUID.lowest(atTimestamp: time) <= id)
            #expect(id <= TimeUUID.highest(atTimestamp: time))
        }
        #expect(TimeUUID.highest(atTimestamp: time - 1) < TimeUUID.lowest(atTimestamp: time))
        #expect(TimeUUID.lowest(atTimestamp: time).uuid.uuid.6 >> 4 == 1, "bounds are version 1 UUIDs")
    }

    @Test func timestampsSurviveTheRoundTrip() throws {
        let id = Self.id(Self.t0, plus: 1_234)
        #expect(id.unixIntervals == Self.t0 * 10_000 + 1_234)
        #expect(id.unixMilliseconds == Self.t0)
        #expect(TimeUUID(UUID()) == nil, "a random (version 4) UUID is no timeuuid")
        #expect(TimeUUID(id.uuid) == id)
    }

    // MARK: Buckets and cutoff

    @Test func bucketsFloorIngestTime() {
        #expect(layout.bucket(ofUnixSeconds: Self.t0 / 1000) == Self.t0 / 1000)
        #expect(layout.bucket(ofUnixSeconds: Self.t0 / 1000 + 59) == Self.t0 / 1000)
        #expect(layout.bucket(ofUnixSeconds: Self.t0 / 1000 + 60) == Self.t0 / 1000 + 60)
        #expect(layout.bucket(of: Self.id(Self.t0 + 59_999, plus: 9_999)) == Self.t0 / 1000)
        #expect(layout.bucket(of: Self.id(Self.t0 + 60_000)) == Self.t0 / 1000 + 60)
        #expect(BucketLayout(bucketSeconds: 3_600, safetyLagMilliseconds: 0).bucket(ofUnixSeconds: Self.t0 / 1000 + 1_799) == 1_764_410_400)
    }

    @Test func theCutoffIsNowMinusTheSafetyLag() {
        let now = Self.t0 + 20_000
        let cutoff = layout.cutoff(nowMilliseconds: now)
        #expect(Self.id(Self.t0 + 15_000, tail: 0xFF) <= cutoff, "an id at exactly now − lag is taken")
        #expect(Self.id(Self.t0 + 15_000, plus: 1) > cutoff, "one interval later waits")
        #expect(BucketLayout(bucketSeconds: 60, safetyLagMilliseconds: 0).cutoff(nowMilliseconds: now) > cutoff)
    }

    // MARK: Walking buckets

    @Test func aWalkGoesFromThePositionsBucketToTheCutoffsBucket() throws {
        let bucket = Self.t0 / 1000
        let position = CassandraLakePosition(bucket: bucket, after: Self.id(Self.t0 + 30_000))
        let cutoff = layout.cutoff(nowMilliseconds: Self.t0 + 3 * 60_000 + 20_000)
        let ranges = Array(layout.walk(after: position, cutoff: cutoff))
        #expect(ranges.map(\.bucket) == [bucket, bucket + 60, bucket + 120, bucket + 180])
        #expect(ranges[0].after == position.after, "the rest of the position's bucket")
        #expect(ranges[0].upTo == layout.lastID(inBucket: bucket))
        #expect(ranges[1].after < Self.id(bucket * 1000 + 60_000, tail: 0x80), "a later bucket from its very start")
        #expect(ranges[3].upTo == cutoff, "the last bucket only up to the cutoff")
        #expect(ranges.allSatisfy { $0.after < $0.upTo })
    }

    @Test func aWalkNeverLooksBeforeThePositionNorPastTheCutoff() {
        let bucket = Self.t0 / 1000
        let cutoff = layout.cutoff(nowMilliseconds: Self.t0 + 20_000)
        // A position already past the cutoff (its event was read by a reader with a shorter lag).
        let ahead = CassandraLakePosition(bucket: bucket, after: Self.id(Self.t0 + 17_000))
        #expect(Array(layout.walk(after: ahead, cutoff: cutoff)).isEmpty)
        let nextBucket = CassandraLakePosition(bucket: bucket + 60, after: Self.id(Self.t0 + 61_000))
        #expect(Array(layout.walk(after: nextBucket, cutoff: cutoff)).isEmpty)
        // A position on the last id of its bucket moves on to the next bucket.
        let endOfBucket = CassandraLakePosition(bucket: bucket - 60, after: layout.lastID(inBucket: bucket - 60))
        #expect(Array(layout.walk(after: endOfBucket, cutoff: cutoff)).map(\.bucket) == [bucket])
    }

    // MARK: Tokens

    @Test func tokensRoundTripAndForeignOnesAreRefused() throws {
        let position = CassandraLakePosition(bucket: Self.t0 / 1000, after: Self.id(Self.t0 + 1))
        let decoded = try CassandraLakePosition(token: position.token)
        #expect(decoded == position)
        #expect(position.token == "1764410400:\(position.after.uuid.uuidString.lowercased())")
        #expect(throws: StorageError.self) { try CassandraLakePosition(token: "12345") }
        #expect(throws: StorageError.self) { try CassandraLakePosition(token: "abc:def") }
        #expect(throws: CassandraLakeError.self) { try CassandraLakePosition(token: "60:\(UUID().uuidString)") }
        #expect(throws: CassandraLakeError.self) {
            try layout.validate(CassandraLakePosition(bucket: Self.t0 / 1000 + 30, after: position.after))
        }
    }

    // MARK: Reading a simulated lake

    @Test func aRestartResumesFromTheStoredToken() throws {
        var lake = SimulatedLake(layout: layout, firstBucket: Self.t0 / 1000)
        for second in 0..<200 { lake.write(at: Self.t0 + Int64(second) * 1_000) }
        let now = Self.t0 + 400_000
        let first = try lake.read(after: nil, limit: 70, now: now)
        let token = try #require(first.last?.token)

        // A new reader knows nothing but the token it stored.
        var restarted = SimulatedLake(copying: lake)
        var rest: [CassandraLakePosition] = []
        var position: String? = token
        while true {
            let batch = try restarted.read(after: position, limit: 45, now: now)
            guard let last = batch.last else { break }
            rest += batch
            position = last.token
        }
        #expect(first.count == 70)
        #expect((first + rest).map(\.after) == lake.events.map(\.id), "every event once, in order")
    }

    @Test func aLateWriteIntoAnOpenBucketIsPickedUpOnceInsideTheLag() throws {
        var lake = SimulatedLake(layout: layout, firstBucket: Self.t0 / 1000)
        lake.write(at: Self.t0 + 10_000)
        // Stamped at +12 s, but in flight for 4 s (less than the 5 s lag): invisible until +16 s.
        lake.write(at: Self.t0 + 12_000, visibleAt: Self.t0 + 16_000)
        lake.write(at: Self.t0 + 13_000)

        // At +15.5 s the cutoff is +10.5 s: only the first event, and the reader stops there.
        let early = try lake.read(after: nil, limit: 100, now: Self.t0 + 15_500)
        #expect(early.map(\.after) == [lake.events[0].id])
        // At +18 s the late write is visible and inside the cutoff (+13 s): nothing was skipped.
        let later = try lake.read(after: early.last?.token, limit: 100, now: Self.t0 + 18_000)
        #expect(later.map(\.after) == [lake.events[1].id, lake.events[2].id])
    }

    @Test func aWriteSlowerThanTheLagIsMissedWhichIsTheGuaranteesLimit() throws {
        var lake = SimulatedLake(layout: layout, firstBucket: Self.t0 / 1000)
        lake.write(at: Self.t0 + 10_000, visibleAt: Self.t0 + 30_000)
        lake.write(at: Self.t0 + 11_000)
        let batch = try lake.read(after: nil, limit: 100, now: Self.t0 + 20_000)
        #expect(batch.map(\.after) == [lake.events[1].id])
        let after = try lake.read(after: batch.last?.token, limit: 100, now: Self.t0 + 40_000)
        #expect(after.isEmpty, "visible 20 s after its time with a 5 s lag: behind the position for good (docs/cassandra.md)")
    }

    @Test func aBatchSpanningSeveralBucketsStopsAtTheLimitMidBucket() throws {
        var lake = SimulatedLake(layout: layout, firstBucket: Self.t0 / 1000 - 60)
        for offset in [1, 2, 3, 61, 62, 63, 64, 65, 181, 182] { lake.write(at: Self.t0 + Int64(offset) * 1_000) }
        let now = Self.t0 + 300_000
        let first = try lake.read(after: nil, limit: 6, now: now)
        #expect(first.map(\.bucket) == [Self.t0 / 1000, Self.t0 / 1000, Self.t0 / 1000, Self.t0 / 1000 + 60, Self.t0 / 1000 + 60, Self.t0 / 1000 + 60])
        #expect(lake.queriedBuckets.first == Self.t0 / 1000 - 60, "from the lake's first bucket")
        lake.queriedBuckets = []
        let second = try lake.read(after: first.last?.token, limit: 6, now: now)
        #expect(second.map(\.after) == lake.events[6...].map(\.id))
        #expect(
            lake.queriedBuckets == [Self.t0 / 1000 + 60, Self.t0 / 1000 + 120, Self.t0 / 1000 + 180, Self.t0 / 1000 + 240],
            "from the position's bucket on, each bucket once, up to the cutoff's")
    }

    // MARK: Ingest ids and batches

    @Test func ingestIDsIncreaseEvenWhenTheClockDoesNot() {
        let generator = IngestIDGenerator()
        let first = generator.next(1_000, atUnixMilliseconds: Self.t0)
        let second = generator.next(10, atUnixMilliseconds: Self.t0 - 5_000)
        let ids = first + second
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        #expect(first[0].unixMilliseconds == Self.t0)
        #expect(Set(ids).count == ids.count)
        #expect(layout.bucket(of: second[9]) == Self.t0 / 1000)
        let other = IngestIDGenerator().next(1, atUnixMilliseconds: Self.t0)[0]
        #expect(other != first[0], "another instance has another node")
    }

    @Test func rowsAreBatchedByPartitionInOrderWithinLimits() {
        let rows: [(key: Int64, row: Int, bytes: Int)] = [(1, 0, 10), (2, 1, 10), (1, 2, 10), (1, 3, 10), (1, 4, 50), (2, 5, 10)]
        let batches = PartitionBatches.make(rows, maxRows: 2, maxBytes: 40)
        #expect(batches.map(\.key) == [1, 1, 1, 2])
        #expect(batches.map(\.rows) == [[0, 2], [3], [4], [1, 5]])
    }

    @Test func scanMemorySkipsOnlyStretchesKnownToBeEmpty() {
        let memory = ScanMemory()
        let start = CassandraLakePosition(bucket: 60, after: Self.id(60_000))
        let through = CassandraLakePosition(bucket: 600, after: Self.id(600_000))
        memory.remember(key: "p", ScanMemory.Entry(through: through, events: 0))
        #expect(memory.readStart(key: "p", start: start) == through)
        #expect(memory.readStart(key: "q", start: start) == start)
        memory.remember(key: "p", ScanMemory.Entry(through: through, events: 3))
        #expect(memory.readStart(key: "p", start: start) == start, "events lie in between: read them")
        #expect(memory.countStart(key: "p", start: start).events == 3)
        for index in 0..<ScanMemory.capacity { memory.remember(key: "k\(index)", ScanMemory.Entry(through: through, events: 0)) }
        #expect(memory.countStart(key: "p", start: start).events == 0, "the oldest entry made room")
    }
}

/// An in-memory model of the lake's table (events by bucket, each visible from some instant)
/// read with the lake's own walk, to show what the position logic reads and skips.
struct SimulatedLake {
    struct Event {
        var id: TimeUUID
        var visibleAt: Int64
    }

    let layout: BucketLayout
    let firstBucket: Int64
    private(set) var events: [Event] = []
    private let generator: IngestIDGenerator
    var queriedBuckets: [Int64] = []

    init(layout: BucketLayout, firstBucket: Int64) {
        self.layout = layout
        self.firstBucket = firstBucket
        generator = IngestIDGenerator()
    }

    /// The same table, seen by a reader that has just started.
    init(copying other: SimulatedLake) {
        layout = other.layout
        firstBucket = other.firstBucket
        events = other.events
        generator = other.generator
    }

    /// An event stamped at `time`, visible from `visibleAt` (at once by default).
    mutating func write(at time: Int64, visibleAt: Int64? = nil) {
        let id = generator.next(1, atUnixMilliseconds: time)[0]
        events.append(Event(id: id, visibleAt: visibleAt ?? time))
        events.sort { $0.id < $1.id }
    }

    /// What the lake's read returns at `now`: the walk's ranges, each applied to the events
    /// visible at `now`, until `limit`.
    mutating func read(after token: String?, limit: Int, now: Int64) throws -> [CassandraLakePosition] {
        let start = try token.map { try CassandraLakePosition(token: $0) } ?? layout.start(ofBucket: firstBucket)
        var found: [CassandraLakePosition] = []
        for range in layout.walk(after: start, cutoff: layout.cutoff(nowMilliseconds: now)) {
            queriedBuckets.append(range.bucket)
            for event in events
            where event.visibleAt <= now && layout.bucket(of: event.id) == range.bucket
                && range.after < event.id && event.id <= range.upTo
            {
                found.append(CassandraLakePosition(bucket: range.bucket, after: event.id))
                if found.count == limit { return found }
            }
        }
        return found
    }
}
