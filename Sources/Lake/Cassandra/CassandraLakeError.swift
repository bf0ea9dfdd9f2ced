/// Errors of the Cassandra lake, each naming the option, position, table or rows concerned.
public enum CassandraLakeError: Error, CustomStringConvertible {
    /// The URL itself cannot describe a Cassandra lake.
    case invalidURL(String, reason: String)
    /// A URL option has a value the lake cannot use.
    case invalidOption(String, value: String, reason: String)
    /// A position token that this lake cannot have produced.
    case invalidPosition(String, reason: String)
    /// The lake was created with another bucket size; buckets of a different size would miss its events.
    case bucketSizeMismatch(keyspace: String, stored: Int64, requested: Int64)
    /// `lake_meta` holds no usable description of the lake.
    case missingMetadata(keyspace: String, reason: String)
    /// A statement failed; `action` says what the lake was doing.
    case statementFailed(action: String, underlying: any Error)
    /// A row read back does not have the shape the lake writes.
    case malformedRow(table: String, reason: String)
    /// A write failed part-way. The batches before the failing one were acknowledged at the
    /// write consistency and are stored; the failing batch may or may not have been applied; the
    /// rest were never sent. The caller must not count any of it as accepted.
    case writeInterrupted(events: Int, rejections: Int, acknowledgedRows: Int, unconfirmedRows: Int, unsentRows: Int, underlying: any Error)
    /// A keyed write stopped sending because its claim's lease ran out; its rows are completed by
    /// whoever takes the claim over.
    case claimLapsed

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "cassandra lake URL \(url): \(reason)"
        case .invalidOption(let name, let value, let reason):
            "cassandra lake option \(name)=\(value): \(reason)"
        case .invalidPosition(let token, let reason):
            "position \"\(token)\" does not belong to this cassandra lake: \(reason)"
        case .bucketSizeMismatch(let keyspace, let stored, let requested):
            "the lake in keyspace \(keyspace) uses \(stored)-second buckets, but the URL asks for bucket_seconds=\(requested); "
                + "a lake's bucket size can never change (drop bucket_seconds from the URL or set it to \(stored))"
        case .missingMetadata(let keyspace, let reason):
            "\(keyspace).lake_meta: \(reason)"
        case .statementFailed(let action, let underlying):
            "\(action): \(underlying)"
        case .malformedRow(let table, let reason):
            "a row of \(table) is malformed: \(reason)"
        case .writeInterrupted(let events, let rejections, let acknowledged, let unconfirmed, let unsent, let underlying):
            "writing \(events) events and \(rejections) rejected rows failed, so the write is not accepted: \(underlying). "
                + "Of its \(acknowledged + unconfirmed + unsent) rows, \(acknowledged) are stored nonetheless, \(unconfirmed) may or may not "
                + "be, and \(unsent) were not sent"
        case .claimLapsed:
            "the claim of the intake key lapsed before every row was sent (claim_lease_seconds); a retry completes it"
        }
    }
}
