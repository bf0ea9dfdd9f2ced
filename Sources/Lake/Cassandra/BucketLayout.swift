/// How the Cassandra lake cuts ingest time into partitions, and how close to the present a
/// reader may look. Pure arithmetic, no I/O.
///
/// Every event gets a time-based `ingest_id` when it is written, and lives in the bucket its
/// `ingest_id`'s time falls in: `bucket` is that time in epoch seconds, floored to a multiple of
/// ``bucketSeconds``. A reader only takes events whose `ingest_id` time is at most
/// `now − safety lag` (the *cutoff*), because a write that is still in flight carries a time
/// from before it becomes visible: reading closer to the present could step past it for good.
public struct BucketLayout: Sendable, Hashable {
    public let bucketSeconds: Int64
    public let safetyLagMilliseconds: Int64

    public init(bucketSeconds: Int64, safetyLagMilliseconds: Int64) {
        precondition(bucketSeconds > 0 && safetyLagMilliseconds >= 0)
        self.bucketSeconds = bucketSeconds
        self.safetyLagMilliseconds = safetyLagMilliseconds
    }

    /// The bucket holding an instant given in epoch seconds.
    public func bucket(ofUnixSeconds seconds: Int64) -> Int64 {
        TimeUUID.floorDivide(seconds, bucketSeconds) * bucketSeconds
    }

    /// The bucket an event with this `ingest_id` is stored in.
    public func bucket(of id: TimeUUID) -> Int64 {
        bucket(ofUnixSeconds: TimeUUID.floorDivide(id.unixIntervals, TimeUUID.intervalsPerSecond))
    }

    /// The greatest `ingest_id` a read at `nowMilliseconds` (epoch) may take.
    public func cutoff(nowMilliseconds: Int64) -> TimeUUID {
        let unixIntervals = (nowMilliseconds - safetyLagMilliseconds) * TimeUUID.intervalsPerMillisecond
        return .highest(atTimestamp: TimeUUID.timestamp(unixIntervals: unixIntervals))
    }

    /// The position before every event of `bucket`.
    public func start(ofBucket bucket: Int64) -> CassandraLakePosition {
        let unixIntervals = bucket * TimeUUID.intervalsPerSecond - 1
        return CassandraLakePosition(bucket: bucket, after: .highest(atTimestamp: TimeUUID.timestamp(unixIntervals: unixIntervals)))
    }

    /// The greatest `ingest_id` that belongs to `bucket`.
    public func lastID(inBucket bucket: Int64) -> TimeUUID {
        let unixIntervals = (bucket + bucketSeconds) * TimeUUID.intervalsPerSecond - 1
        return .highest(atTimestamp: TimeUUID.timestamp(unixIntervals: unixIntervals))
    }

    /// Checks that a position was made with this bucket size.
    public func validate(_ position: CassandraLakePosition) throws {
        guard TimeUUID.floorDivide(position.bucket, bucketSeconds) * bucketSeconds == position.bucket else {
            throw CassandraLakeError.invalidPosition(
                position.token, reason: "bucket \(position.bucket) is not a multiple of this lake's \(bucketSeconds)-second buckets")
        }
    }

    /// The ranges to query, in order, for the events after `position` up to `cutoff`.
    public func walk(after position: CassandraLakePosition, cutoff: TimeUUID) -> BucketWalk {
        BucketWalk(layout: self, position: position, cutoff: cutoff)
    }
}

/// One query's worth of a walk: the events of `bucket` with `after < ingest_id <= upTo`.
public struct BucketRange: Sendable, Hashable, CustomStringConvertible {
    public var bucket: Int64
    /// Exclusive lower bound.
    public var after: TimeUUID
    /// Inclusive upper bound.
    public var upTo: TimeUUID

    /// Where the walk stands once every event of the range has been taken.
    public var end: CassandraLakePosition { CassandraLakePosition(bucket: bucket, after: upTo) }

    public var description: String { "bucket \(bucket) (\(after), \(upTo)]" }
}

/// The buckets a read walks through: from the position's own bucket (what is left of it) to the
/// cutoff's bucket, one range per bucket, never a bucket before the position.
public struct BucketWalk: Sequence, IteratorProtocol, Sendable {
    let layout: BucketLayout
    let cutoff: TimeUUID
    let lastBucket: Int64
    private var pending: CassandraLakePosition?

    init(layout: BucketLayout, position: CassandraLakePosition, cutoff: TimeUUID) {
        self.layout = layout
        self.cutoff = cutoff
        lastBucket = layout.bucket(of: cutoff)
        pending = position
    }

    public mutating func next() -> BucketRange? {
        while let from = pending {
            guard from.bucket <= lastBucket else {
                pending = nil
                return nil
            }
            pending = from.bucket < lastBucket ? layout.start(ofBucket: from.bucket + layout.bucketSeconds) : nil
            let upTo = Swift.min(layout.lastID(inBucket: from.bucket), cutoff)
            if from.after < upTo {
                return BucketRange(bucket: from.bucket, after: from.after, upTo: upTo)
            }
        }
        return nil
    }
}
