/// Per-statement settings for a query or the execution of a prepared statement.
public struct CQLQueryOptions: Sendable {
    /// Nil uses the connection's ``CQLConnectionConfiguration/defaultConsistency``.
    public var consistency: CQLConsistency?
    /// Consistency of the Paxos phase of conditional updates (`SERIAL` or `LOCAL_SERIAL`).
    public var serialConsistency: CQLConsistency?
    /// Rows per page; nil lets the server return all rows at once.
    public var pageSize: Int32?
    /// Resume a paged query where a previous page stopped.
    public var pagingState: CQLPagingState?
    /// Default write timestamp, in microseconds since the Unix epoch.
    public var defaultTimestamp: Int64?
    /// Whether running the statement twice has the same effect as running it once.
    /// Only idempotent statements are retried on another node after a connection error.
    public var isIdempotent: Bool
    /// Overrides the configured request timeout.
    public var timeout: Duration?

    public init(
        consistency: CQLConsistency? = nil,
        serialConsistency: CQLConsistency? = nil,
        pageSize: Int32? = nil,
        pagingState: CQLPagingState? = nil,
        defaultTimestamp: Int64? = nil,
        isIdempotent: Bool = false,
        timeout: Duration? = nil
    ) {
        self.consistency = consistency
        self.serialConsistency = serialConsistency
        self.pageSize = pageSize
        self.pagingState = pagingState
        self.defaultTimestamp = defaultTimestamp
        self.isIdempotent = isIdempotent
        self.timeout = timeout
    }

    func parameters(values: [CQLValue], defaultConsistency: CQLConsistency) -> CQLQueryParameters {
        CQLQueryParameters(
            consistency: consistency ?? defaultConsistency,
            values: values,
            pageSize: pageSize,
            pagingState: pagingState,
            serialConsistency: serialConsistency,
            defaultTimestamp: defaultTimestamp
        )
    }
}
