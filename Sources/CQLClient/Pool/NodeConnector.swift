import Logging
import NIOCore

/// Keeps one connection to one node: opens it on demand, notices when it closes,
/// and reconnects in the background with exponential backoff.
///
/// While the node is backing off after a failure, callers are turned away at once
/// (``CQLClientError/nodeUnavailable(_:reason:)``) so that the pool can try another node.
actor NodeConnector {
    let endpoint: CQLEndpoint
    private let configuration: CQLPoolConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    private var connection: CQLConnection?
    private var pendingConnection: Task<CQLConnection, any Error>?
    private var consecutiveFailures = 0
    private var retryNotBefore: ContinuousClock.Instant?
    private var lastFailure = ""
    private var reconnection: Task<Void, Never>?
    private var isShutDown = false

    init(endpoint: CQLEndpoint, configuration: CQLPoolConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: "cql.endpoint"] = "\(endpoint)"
        self.logger = logger
    }

    /// The open connection, a fresh one, or an error when the node cannot be used now.
    func connection() async throws -> CQLConnection {
        if isShutDown { throw CQLClientError.shutDown }
        if let connection, connection.isActive { return connection }
        if let pendingConnection { return try await pendingConnection.value }
        if let retryNotBefore, ContinuousClock.now < retryNotBefore {
            throw CQLClientError.nodeUnavailable(endpoint, reason: lastFailure)
        }
        return try await connect()
    }

    /// Closes the connection (letting requests in flight finish) and stops reconnecting.
    func shutdown() async {
        isShutDown = true
        reconnection?.cancel()
        reconnection = nil
        if let pendingConnection {
            _ = try? await pendingConnection.value
        }
        if let connection {
            self.connection = nil
            await connection.close()
        }
    }

    private func connect() async throws -> CQLConnection {
        // A task of its own, kept in `pendingConnection`, so that shutdown can cancel a connection
        // attempt that is still under way.
        let task = Task { [endpoint, configuration, eventLoopGroup, logger] in
            try await CQLConnection.connect(
                to: endpoint,
                configuration: configuration.connection,
                eventLoopGroup: eventLoopGroup,
                logger: logger
            )
        }
        pendingConnection = task
        defer { pendingConnection = nil }
        do {
            let newConnection = try await task.value
            if isShutDown {
                await newConnection.close()
                throw CQLClientError.shutDown
            }
            adopt(newConnection)
            return newConnection
        } catch {
            if !isShutDown {
                recordFailure(error)
            }
            throw error
        }
    }

    private func adopt(_ newConnection: CQLConnection) {
        connection = newConnection
        consecutiveFailures = 0
        retryNotBefore = nil
        lastFailure = ""
        newConnection.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            // NIO calls back on its event loop, outside any task: hop onto the actor.
            Task { await self.connectionClosed(newConnection) }
        }
    }

    private func connectionClosed(_ closed: CQLConnection) {
        guard connection === closed, !isShutDown else { return }
        connection = nil
        logger.warning("connection lost, reconnecting")
        scheduleReconnection(after: .zero)
    }

    private func recordFailure(_ error: any Error) {
        consecutiveFailures += 1
        let delay = configuration.reconnectionBackoff.delay(afterFailures: consecutiveFailures)
        retryNotBefore = .now + delay
        lastFailure = String(describing: error)
        logger.warning(
            "connection attempt failed",
            metadata: ["error": "\(lastFailure)", "cql.retry_in": "\(delay)"]
        )
        scheduleReconnection(after: delay)
    }

    private func scheduleReconnection(after delay: Duration) {
        guard reconnection == nil, !isShutDown else { return }
        // Reconnection outlives the call that noticed the failure; shutdown cancels it.
        reconnection = Task {
            try? await Task.sleep(for: delay)
            await self.reconnect()
        }
    }

    /// A background attempt; a failure schedules the next one through `recordFailure`.
    private func reconnect() async {
        reconnection = nil
        guard !Task.isCancelled, !isShutDown, pendingConnection == nil, connection?.isActive != true else { return }
        _ = try? await connect()
    }
}
