/// The steps of one ETL batch, in order. A failure between any two of them must leave the
/// warehouse either without the batch or with all of it; tests inject failures at each.
public enum BatchStep: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Events after the committed position have been read from the lake.
    case read
    /// They have been aggregated into per-grain deltas.
    case aggregated
    /// The deltas carry their company ids from the job dimension.
    case enriched
    /// Inside the warehouse transaction: the deltas are merged, the position is not yet written.
    case deltasMerged = "deltas-merged"
    /// Inside the warehouse transaction: the position is written, the transaction not yet committed.
    case positionWritten = "position-written"
    /// The transaction has committed.
    case committed

    public var description: String { rawValue }
}
