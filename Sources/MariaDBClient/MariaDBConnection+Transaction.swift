#if MySQL
extension MariaDBConnection {
    /// Runs `body` in a transaction: `START TRANSACTION`, then `COMMIT` if `body` returns or
    /// `ROLLBACK` if it throws (the error is rethrown).
    ///
    /// A failed `ROLLBACK` is logged and the original error rethrown; if the connection was lost,
    /// the server has rolled back on its own. To retry on deadlocks or lock-wait timeouts, catch
    /// ``MariaDBError`` with ``MariaDBError/isRetryable`` around the whole call. Transactions do
    /// not nest: MySQL commits an open transaction when the next one starts.
    public func transaction<Result>(
        _ body: (MariaDBConnection) async throws -> Result
    ) async throws -> Result {
        try await perform { try $0.runControlStatement(.begin) }
        let result: Result
        do {
            result = try await body(self)
        } catch {
            do {
                try await perform { try $0.runControlStatement(.rollback) }
            } catch let rollbackError {
                logger.warning(
                    "rollback failed",
                    metadata: ["error": "\(rollbackError)", "cause": "\(error)"]
                )
            }
            throw error
        }
        try await perform { try $0.runControlStatement(.commit) }
        return result
    }
}
#endif
