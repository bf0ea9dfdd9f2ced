/// Statements sent together in one BATCH request.
public struct CQLBatch: Sendable {
    public typealias Kind = CQLBatchMessage.Kind

    /// One statement of a batch.
    public enum Statement: Sendable {
        case simple(String, values: [CQLValue])
        case prepared(CQLPreparedStatement, values: [CQLValue])
    }

    public var kind: Kind
    public var statements: [Statement]

    /// An unlogged batch unless told otherwise.
    public init(kind: Kind = .unlogged, statements: [Statement] = []) {
        self.kind = kind
        self.statements = statements
    }

    public mutating func add(_ query: String, _ values: [CQLValue] = []) {
        statements.append(.simple(query, values: values))
    }

    public mutating func add(_ statement: CQLPreparedStatement, _ values: [CQLValue] = []) {
        statements.append(.prepared(statement, values: values))
    }
}

/// Settings for a batch.
public struct CQLBatchOptions: Sendable {
    /// Nil uses the connection's default consistency.
    public var consistency: CQLConsistency?
    public var serialConsistency: CQLConsistency?
    /// Default write timestamp, in microseconds since the Unix epoch.
    public var defaultTimestamp: Int64?
    /// See ``CQLQueryOptions/isIdempotent``.
    public var isIdempotent: Bool
    public var timeout: Duration?

    public init(
        consistency: CQLConsistency? = nil,
        serialConsistency: CQLConsistency? = nil,
        defaultTimestamp: Int64? = nil,
        isIdempotent: Bool = false,
        timeout: Duration? = nil
    ) {
        self.consistency = consistency
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
        self.isIdempotent = isIdempotent
        self.timeout = timeout
    }
}
