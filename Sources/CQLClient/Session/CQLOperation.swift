/// One unit of work for a ``CQLSession``.
public enum CQLOperation: Sendable {
    case query(String, values: [CQLValue], options: CQLQueryOptions)
    case execute(CQLPreparedStatement, values: [CQLValue], options: CQLQueryOptions)
    case batch(CQLBatch, options: CQLBatchOptions)
    case prepare(String)

    /// Whether the operation may run again on another node after a connection error.
    /// Preparing always may.
    public var isIdempotent: Bool {
        switch self {
        case .query(_, _, let options), .execute(_, _, let options): options.isIdempotent
        case .batch(_, let options): options.isIdempotent
        case .prepare: true
        }
    }

    var timeout: Duration? {
        switch self {
        case .query(_, _, let options), .execute(_, _, let options): options.timeout
        case .batch(_, let options): options.timeout
        case .prepare: nil
        }
    }

    /// The request message, with `defaultConsistency` where the options set none.
    func message(defaultConsistency: CQLConsistency) -> any CQLRequestMessage {
        switch self {
        case .query(let query, let values, let options):
            return CQLQueryMessage(
                query: query,
                parameters: options.parameters(values: values, defaultConsistency: defaultConsistency)
            )
        case .execute(let statement, let values, let options):
            return CQLExecuteMessage(
                id: statement.id,
                resultMetadataID: statement.metadata.resultMetadataID,
                parameters: options.parameters(values: statement.adapt(values), defaultConsistency: defaultConsistency)
            )
        case .batch(let batch, let options):
            return CQLBatchMessage(
                kind: batch.kind,
                statements: batch.statements.map { statement in
                    switch statement {
                    case .simple(let query, let values):
                        .query(query, values: values)
                    case .prepared(let prepared, let values):
                        .prepared(id: prepared.id, values: prepared.adapt(values))
                    }
                },
                consistency: options.consistency ?? defaultConsistency,
                serialConsistency: options.serialConsistency,
                defaultTimestamp: options.defaultTimestamp
            )
        case .prepare(let query):
            return CQLPrepareMessage(query: query)
        }
    }

    /// The CQL text of the prepared statement with this id, if the operation uses one.
    func preparedQuery(withID id: [UInt8]) -> String? {
        switch self {
        case .execute(let statement, _, _) where statement.id == id:
            return statement.query
        case .batch(let batch, _):
            for case .prepared(let statement, _) in batch.statements where statement.id == id {
                return statement.query
            }
            return nil
        default:
            return nil
        }
    }

    /// The same operation with every use of the statement `id` replaced by `replacement`.
    func replacingPrepared(id: [UInt8], with replacement: CQLPreparedStatement) -> CQLOperation {
        switch self {
        case .execute(let statement, let values, let options) where statement.id == id:
            return .execute(replacement, values: values, options: options)
        case .batch(var batch, let options):
            batch.statements = batch.statements.map { statement in
                guard case .prepared(let prepared, let values) = statement, prepared.id == id else { return statement }
                return .prepared(replacement, values: values)
            }
            return .batch(batch, options: options)
        default:
            return self
        }
    }

    /// The same query or execution, resumed at `pagingState`.
    func resuming(at pagingState: CQLPagingState) -> CQLOperation {
        switch self {
        case .query(let query, let values, var options):
            options.pagingState = pagingState
            return .query(query, values: values, options: options)
        case .execute(let statement, let values, var options):
            options.pagingState = pagingState
            return .execute(statement, values: values, options: options)
        case .batch, .prepare:
            return self
        }
    }
}
