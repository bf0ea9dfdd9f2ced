import JobPulseCore

/// What one batch adds to one grain, with the company the job dimension gives it.
public struct GrainDelta: Sendable, Hashable {
    public var grain: Grain
    public var metrics: FunnelMetrics
    public var companyID: Int32?

    public init(grain: Grain, metrics: FunnelMetrics, companyID: Int32?) {
        self.grain = grain
        self.metrics = metrics
        self.companyID = companyID
    }
}

/// One batch, ready to commit: its deltas and the lake position it brings the warehouse to.
public struct BatchCommit: Sendable {
    /// The lake's kind, recorded in `events.sources` and keying `etl_state`.
    public var source: String
    public var lakeIdentity: String
    /// The lease holder committing; a commit by anyone else is refused.
    public var owner: String
    /// The position the batch was read after; the commit is refused if the warehouse moved.
    public var from: String?
    public var to: String
    public var deltas: [GrainDelta]
    public var funnel: Int
    public var other: Int
    public var newestEventTime: Int64?
    /// Time spent on the batch before the commit, for the batch log in `etl_state`.
    public var elapsedMilliseconds: Int64
    /// Events of `other` that the ETL could not use (see ``ETLState/unusableTotal``).
    public var unusable: Int
    /// The lake position of the last of them, for inspection.
    public var lastUnusablePosition: String?

    public init(
        source: String, lakeIdentity: String, owner: String, from: String?, to: String, deltas: [GrainDelta],
        funnel: Int, other: Int, newestEventTime: Int64?, elapsedMilliseconds: Int64,
        unusable: Int = 0, lastUnusablePosition: String? = nil
    ) {
        self.source = source
        self.lakeIdentity = lakeIdentity
        self.owner = owner
        self.from = from
        self.to = to
        self.deltas = deltas
        self.funnel = funnel
        self.other = other
        self.newestEventTime = newestEventTime
        self.elapsedMilliseconds = elapsedMilliseconds
        self.unusable = unusable
        self.lastUnusablePosition = lastUnusablePosition
    }

    public var events: Int { funnel + other }
}

/// A lake's row in `etl_state`: how far the ETL has read it, who may write for it, and the last batch.
public struct ETLState: Sendable, Hashable, Codable {
    public var source: String
    public var position: String?
    public var updatedAt: String
    public var lakeIdentity: String
    public var leaseOwner: String?
    public var leaseExpiresAt: Int64?
    public var batches: Int64
    public var eventsTotal: Int64
    public var funnelTotal: Int64
    public var otherTotal: Int64
    public var lastBatchEvents: Int64?
    public var lastBatchGrains: Int64?
    public var lastBatchMilliseconds: Int64?
    public var lastBatchAt: String?
    /// Event time of the newest event committed, epoch milliseconds.
    public var newestEventTime: Int64?
    /// Lake events the ETL could not use (a `ts` it cannot read, in a lake written by other
    /// means than JobPulse's admission): counted in `other_total`, added to no metric, and
    /// reported here instead of stopping the pipeline.
    public var unusableTotal: Int64
    /// Where the last of them sits in the lake.
    public var lastUnusablePosition: String?
}

/// One `events` row.
public struct FactRow: Sendable, Hashable {
    public var grain: Grain
    public var metrics: FunnelMetrics
    public var companyID: Int32?
    public var spendHour: Double
    public var bidSet: Double
    public var sources: String
}

public enum WarehouseError: Error, CustomStringConvertible {
    case leaseHeld(source: String, owner: String, expiresAt: Int64)
    case leaseLost(source: String, owner: String)
    case positionMoved(source: String, expected: String?, found: String?)
    case lakeMismatch(source: String, recorded: String, offered: String)
    case missingStatement(String)
    case unboundParameter(statement: String, parameter: String)
    case statementCount(file: String, found: Int)
    case unreadableHour(date: String, hour: Int64)
    case unreadableBudget(scope: String, id: Int32, reason: String)
    case unreadableAlert(key: String, reason: String)
    case unreadableTime(column: String, value: String)

    public var description: String {
        switch self {
        case .leaseHeld(let source, let owner, let expiresAt):
            "another ETL (\(owner)) is writing for lake \(source) until \(Timestamp.iso8601(expiresAt)); only one may write at a time"
        case .leaseLost(let source, let owner):
            "ETL \(owner) no longer holds the lease for lake \(source); its batch was rolled back"
        case .positionMoved(let source, let expected, let found):
            "the committed position of lake \(source) moved from \(expected ?? "the start") to \(found ?? "the start") under this batch; it was rolled back"
        case .lakeMismatch(let source, let recorded, let offered):
            "this warehouse was fed by lake \(recorded), not \(offered) (source \(source)); use the warehouse that belongs to this lake, or a new one"
        case .missingStatement(let file):
            "the SQL file \(file) is missing next to the jobpulse binary (copy the JobPulse_JobPulseWarehouse.resources folder with it)"
        case .unboundParameter(let statement, let parameter):
            "the statement \(statement) names the parameter :\(parameter), which was given no value"
        case .statementCount(let file, let found):
            "the SQL file \(file) holds \(found) statements where one is expected"
        case .unreadableBudget(let scope, let id, let reason):
            "the budget of \(scope) \(id) in the warehouse cannot be read: \(reason)"
        case .unreadableAlert(let key, let reason):
            "the alert \(key) in the warehouse cannot be read: \(reason)"
        case .unreadableTime(let column, let value):
            "the warehouse's \(column) holds \(value), which is not a time"
        case .unreadableHour(let date, let hour):
            "the warehouse holds a row for date \(date), hour \(hour), which is not an hour"
        }
    }
}
