/// Something that runs CQL operations: a single ``CQLConnection`` or a ``CQLConnectionPool``.
///
/// Conforming types implement ``run(_:)``; the query, prepare, execute, batch and
/// paging methods are built on it.
public protocol CQLSession: Sendable {
    /// Runs one operation and returns the server's RESULT.
    ///
    /// - Throws: ``CQLServerError`` when the server answers with an ERROR,
    ///   ``CQLClientError`` for client-side failures.
    func run(_ operation: CQLOperation) async throws -> CQLResult
}

extension CQLSession {
    /// Runs a statement given as text, with positional bind values.
    @discardableResult
    public func query(
        _ cql: String,
        _ values: [CQLValue] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLResult {
        try await run(.query(cql, values: values, options: options))
    }

    /// Runs a SELECT and returns one page: its rows and, when more follow, the paging state.
    public func queryPage(
        _ cql: String,
        _ values: [CQLValue] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLRows {
        try await run(.query(cql, values: values, options: options)).expectRows()
    }

    /// Every page of a SELECT, fetched one at a time as the sequence is iterated.
    /// Set ``CQLQueryOptions/pageSize`` to choose the page size.
    public func queryPages(
        _ cql: String,
        _ values: [CQLValue] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) -> CQLPageSequence {
        CQLPageSequence(session: self, operation: .query(cql, values: values, options: options))
    }

    /// Prepares a statement on the server.
    public func prepare(_ cql: String) async throws -> CQLPreparedStatement {
        guard case .prepared(let metadata) = try await run(.prepare(cql)) else {
            throw CQLClientError.unexpectedResult("PREPARE did not return a Prepared result")
        }
        return CQLPreparedStatement(query: cql, metadata: metadata)
    }

    /// Executes a prepared statement with positional bind values.
    @discardableResult
    public func execute(
        _ statement: CQLPreparedStatement,
        _ values: [CQLValue] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLResult {
        try await run(.execute(statement, values: values, options: options))
    }

    /// Executes a prepared SELECT and returns one page.
    public func executePage(
        _ statement: CQLPreparedStatement,
        _ values: [CQLValue] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) async throws -> CQLRows {
        try await run(.execute(statement, values: values, options: options)).expectRows()
    }

    /// Every page of a prepared SELECT.
    public func executePages(
        _ statement: CQLPreparedStatement,
        _ values: [CQLValue] = [],
        options: CQLQueryOptions = CQLQueryOptions()
    ) -> CQLPageSequence {
        CQLPageSequence(session: self, operation: .execute(statement, values: values, options: options))
    }

    /// Sends a batch.
    @discardableResult
    public func batch(_ batch: CQLBatch, options: CQLBatchOptions = CQLBatchOptions()) async throws -> CQLResult {
        try await run(.batch(batch, options: options))
    }
}

extension CQLResult {
    func expectRows() throws -> CQLRows {
        guard case .rows(let rows) = self else {
            throw CQLClientError.unexpectedResult("the statement returned no rows")
        }
        return rows
    }
}
