extension CQLConnection {
    /// Runs an operation on this connection.
    ///
    /// When the node answers UNPREPARED for a statement the operation uses, the
    /// statement is prepared again on this connection and the operation sent once more.
    public func run(_ operation: CQLOperation) async throws -> CQLResult {
        do {
            return try await runOnce(operation)
        } catch let error as CQLServerError {
            guard case .unprepared(_, let id) = error, let query = operation.preparedQuery(withID: id) else {
                throw error
            }
            logger.debug("statement unknown to the node, preparing it again")
            guard case .prepared(let metadata) = try await runOnce(.prepare(query)) else {
                throw CQLClientError.unexpectedResult("PREPARE did not return a Prepared result")
            }
            let replacement = CQLPreparedStatement(query: query, metadata: metadata)
            return try await runOnce(operation.replacingPrepared(id: id, with: replacement))
        }
    }

    private func runOnce(_ operation: CQLOperation) async throws -> CQLResult {
        let message = operation.message(defaultConsistency: configuration.defaultConsistency)
        let response = try await send(message, timeout: operation.timeout)
        switch response.message {
        case .result(let result):
            return result
        case .error(let error):
            throw error
        default:
            throw CQLClientError.unexpectedResponse(response.message.opcode)
        }
    }
}
