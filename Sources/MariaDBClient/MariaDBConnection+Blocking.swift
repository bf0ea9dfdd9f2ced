#if MySQL
/// Statements run synchronously on a connection's own thread, for callers that hand a whole
/// unit of work to the connection (a transaction of many statements) instead of hopping back
/// and forth for each one. Only valid inside the closure it is passed to: it is not `Sendable`,
/// and must not be kept.
public struct MariaDBBlockingSession {
    let session: ConnectorSession

    /// Like ``MariaDBConnection/execute(_:_:)``, blocking.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [MariaDBValue] = []) throws -> Int {
        try session.runPrepared(sql, parameters, collectRows: false).affectedRows
    }

    /// Like ``MariaDBConnection/query(_:_:)``, blocking.
    public func query(_ sql: String, _ parameters: [MariaDBValue] = []) throws -> [MariaDBRow] {
        try session.runPrepared(sql, parameters, collectRows: true).rows
    }
}

extension MariaDBConnection {
    /// Runs `body` on the connection's thread inside one transaction: committed when `body`
    /// returns, rolled back when it throws (the error is rethrown).
    public func blockingTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (MariaDBBlockingSession) throws -> Result
    ) async throws -> Result {
        try await perform { session in
            try session.runControlStatement(.begin)
            do {
                let result = try body(MariaDBBlockingSession(session: session))
                try session.runControlStatement(.commit)
                return result
            } catch {
                try? session.runControlStatement(.rollback)
                throw error
            }
        }
    }
}
#endif
