#if MySQL
import Logging
import NIOPosix

/// One connection to a MySQL 8 or MariaDB server through MariaDB Connector/C.
///
/// Connector/C blocks, so every call into it runs on a one-thread `NIOThreadPool` that this
/// connection owns; the async methods suspend the caller instead of blocking it, and never run
/// on a NIO event loop. The single thread also serializes all use of the underlying handle,
/// so the connection may be shared between tasks. Statements from different tasks interleave,
/// though, so a connection in a ``transaction(_:)`` should be used by that transaction only.
///
/// ```swift
/// let connection = MariaDBConnection(configuration: try MariaDBConfiguration(url: url))
/// try await connection.connect()
/// let rows = try await connection.query("SELECT name FROM users WHERE id = ?", [.int64(42)])
/// await connection.close()
/// ```
///
/// A cancelled task gets `CancellationError` from ``execute(_:_:)`` and ``query(_:_:)`` before
/// they start; a statement already running is not interrupted (Connector/C has no way to), so
/// ``MariaDBConfiguration/readTimeout`` is what bounds it.
///
/// Call ``close()`` when done; it also stops the thread. A connection that is dropped without
/// `close()` releases its handle and thread when deinitialized.
public final class MariaDBConnection: Sendable {
    public let configuration: MariaDBConfiguration
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let session: ConnectorSession

    /// Creates an unconnected connection and starts its thread; call ``connect()`` next.
    public init(configuration: MariaDBConfiguration, logger: Logger = Logger(label: "MariaDBClient")) {
        self.configuration = configuration
        self.logger = logger
        self.session = ConnectorSession(configuration: configuration)
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
    }

    deinit {
        threadPool.shutdownGracefully { _ in }
    }

    /// Connects and logs in. Does nothing when already connected.
    ///
    /// - Throws: ``MariaDBError`` (``MariaDBError/isAuthenticationFailure`` for a refused login,
    ///   ``MariaDBError/isConnectionLost`` for an unreachable server, 2026 when TLS is required
    ///   but not offered), or ``MariaDBUsageError/connectionClosed``.
    public func connect() async throws {
        try await perform { try $0.open() }
        logger.debug("connected", metadata: ["configuration": "\(configuration)"])
    }

    /// Drops the current connection, if any, and connects again. Use it after an error with
    /// ``MariaDBError/isConnectionLost``; session state such as an open transaction, session
    /// variables or temporary tables is gone. If it throws, the connection stays disconnected
    /// (calls throw ``MariaDBUsageError/notConnected``) until a later `reconnect()` succeeds.
    public func reconnect() async throws {
        try await perform { session in
            session.close()
            try session.open()
        }
        logger.info("reconnected", metadata: ["configuration": "\(configuration)"])
    }

    /// Runs a statement that returns no rows (`INSERT`, `UPDATE`, `DELETE`, DDL) as a
    /// server-side prepared statement, with `parameters` bound to its `?` placeholders in order.
    ///
    /// - Returns: The number of affected rows: for `UPDATE`, rows actually changed.
    /// - Throws: ``MariaDBError`` or ``MariaDBUsageError``.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [MariaDBValue] = []) async throws -> Int {
        try Task.checkCancellation()
        return try await perform { try $0.runPrepared(sql, parameters, collectRows: false) }.affectedRows
    }

    /// Runs a statement that returns rows as a server-side prepared statement, with `parameters`
    /// bound to its `?` placeholders in order, and returns all its rows.
    ///
    /// - Throws: ``MariaDBError`` or ``MariaDBUsageError``.
    public func query(_ sql: String, _ parameters: [MariaDBValue] = []) async throws -> [MariaDBRow] {
        try Task.checkCancellation()
        return try await perform { try $0.runPrepared(sql, parameters, collectRows: true) }.rows
    }

    /// Closes the connection and stops its thread. Afterwards every call throws
    /// ``MariaDBUsageError/connectionClosed``. Calling it again does nothing.
    public func close() async {
        do {
            try await perform { $0.close() }
        } catch {
            return  // already closed
        }
        try? await threadPool.shutdownGracefully()
    }

    /// Runs `body` on the connection's thread, and runs it even if the calling task is cancelled
    /// meanwhile, so that a started ``transaction(_:)`` is always ended and ``close()`` always
    /// releases the handle.
    func perform<Result: Sendable>(
        _ body: @escaping @Sendable (ConnectorSession) throws -> Result
    ) async throws -> Result {
        let session = self.session
        return try await withCheckedThrowingContinuation { continuation in
            threadPool.submit { state in
                guard case .active = state else {
                    continuation.resume(throwing: MariaDBUsageError.connectionClosed)
                    return
                }
                continuation.resume(with: Swift.Result { try body(session) })
            }
        }
    }
}
#endif
