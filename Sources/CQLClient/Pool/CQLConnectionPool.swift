import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Connections to several nodes, used in turn.
///
/// Each operation goes to the next node in round-robin order. A node that cannot
/// be reached is skipped, and reconnected in the background with exponential
/// backoff. When a connection fails under an idempotent operation (or the node
/// reports it is overloaded or bootstrapping), the operation moves on to the next
/// node. Prepared statements that a node does not know are prepared again on it.
public final class CQLConnectionPool: CQLSession, Sendable {
    public let configuration: CQLPoolConfiguration
    private let nodes: [NodeConnector]
    private let nextNode = Mutex(0)
    private let isShutDown = Mutex(false)
    private let logger: Logger

    /// Creates the pool; connections open on first use (or on ``connect()``).
    public init(
        configuration: CQLPoolConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "cql.pool")
    ) {
        self.configuration = configuration
        self.logger = logger
        self.nodes = configuration.contactPoints.map {
            NodeConnector(endpoint: $0, configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        }
    }

    /// Opens a connection to every node now, instead of on first use.
    ///
    /// - Throws: ``CQLClientError/noNodeAvailable(_:)`` when no node could be reached.
    public func connect() async throws {
        let failures = await withTaskGroup(of: CQLNodeFailure?.self) { group in
            for node in nodes {
                group.addTask {
                    do {
                        _ = try await node.connection()
                        return nil
                    } catch {
                        return CQLNodeFailure(endpoint: node.endpoint, error: error)
                    }
                }
            }
            return await group.reduce(into: [CQLNodeFailure]()) { failures, failure in
                if let failure { failures.append(failure) }
            }
        }
        if failures.count == nodes.count {
            throw CQLClientError.noNodeAvailable(failures)
        }
    }

    public func run(_ operation: CQLOperation) async throws -> CQLResult {
        guard !isShutDown.withLock({ $0 }) else { throw CQLClientError.shutDown }
        var failures: [CQLNodeFailure] = []
        for node in queryPlan() {
            let connection: CQLConnection
            do {
                connection = try await node.connection()
            } catch let error as CQLServerError {
                // Bad credentials or the like: every node would refuse the same way.
                throw error
            } catch CQLClientError.shutDown {
                throw CQLClientError.shutDown
            } catch {
                failures.append(CQLNodeFailure(endpoint: node.endpoint, error: error))
                continue
            }
            do {
                return try await connection.run(operation)
            } catch {
                guard Self.mayTryAnotherNode(after: error, operation: operation) else { throw error }
                logger.debug(
                    "trying next node",
                    metadata: ["cql.endpoint": "\(node.endpoint)", "error": "\(error)"]
                )
                failures.append(CQLNodeFailure(endpoint: node.endpoint, error: error))
            }
        }
        throw CQLClientError.noNodeAvailable(failures)
    }

    /// Stops new operations, lets those in flight finish (within each connection's
    /// grace period), closes every connection and stops reconnecting.
    public func shutdown() async {
        isShutDown.withLock { $0 = true }
        await withTaskGroup(of: Void.self) { group in
            for node in nodes {
                group.addTask { await node.shutdown() }
            }
        }
    }

    /// Every node once, starting one further along at each call.
    private func queryPlan() -> [NodeConnector] {
        guard !nodes.isEmpty else { return [] }
        let start = nextNode.withLock { next in
            defer { next = (next + 1) % nodes.count }
            return next
        }
        return Array(nodes[start...] + nodes[..<start])
    }

    private static func mayTryAnotherNode(after error: any Error, operation: CQLOperation) -> Bool {
        if let serverError = error as? CQLServerError {
            return serverError.requestWasNotExecuted
        }
        switch error as? CQLClientError {
        case .connectionClosed, .requestTimedOut:
            return operation.isIdempotent
        default:
            return false
        }
    }
}
