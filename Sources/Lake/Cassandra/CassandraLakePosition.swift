import Foundation

/// A place in the Cassandra lake's order: a bucket (the partition) and a `timeuuid` in it. Events
/// after the position are those of the same bucket with a greater `ingest_id`, then those of every
/// later bucket.
///
/// The position of an event is its own bucket and `ingest_id`; a walk may also stop on a bound no
/// event has (a bucket's start or a read's cutoff). As a ``LakePosition`` token it reads
/// `<bucket>:<uuid>`, e.g. `1764410400:6f1c2a80-cd7e-11f0-8000-0242ac120002`.
public struct CassandraLakePosition: Sendable, Hashable, CustomStringConvertible {
    /// Epoch seconds of the bucket's start, a multiple of the lake's bucket size.
    public var bucket: Int64
    /// Events of `bucket` up to this one (inclusive) lie at or before the position.
    public var after: TimeUUID

    public init(bucket: Int64, after: TimeUUID) {
        self.bucket = bucket
        self.after = after
    }

    public var token: String { "\(bucket):\(after)" }

    public var description: String { token }

    /// Reads a token written by ``token``.
    public init(token: String) throws {
        let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let bucket = Int64(parts[0]), let uuid = UUID(uuidString: String(parts[1])) else {
            throw StorageError.foreignPosition(token, lake: "cassandra")
        }
        guard let after = TimeUUID(uuid) else {
            throw CassandraLakeError.invalidPosition(token, reason: "\(uuid.uuidString.lowercased()) is not a time-based (version 1) UUID")
        }
        self.init(bucket: bucket, after: after)
    }
}
