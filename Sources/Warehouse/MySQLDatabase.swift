#if MySQL
import JobPulseCore
import Logging
import MariaDBClient

/// A warehouse database on a MySQL 8 or MariaDB server, through MariaDB Connector/C.
///
/// Writes go through one connection (the ETL commits one batch at a time); reads share a small
/// pool, so dashboards never wait behind a commit. Each connection runs its blocking calls on a
/// thread of its own, never on an event loop. A connection that was lost (server restart,
/// network) is reconnected before its next use; the failed unit of work is not retried here,
/// the caller decides (the ETL retries the whole batch with backoff).
public final class MySQLDatabase: SQLDatabase {
    public let dialect = SQLDialect.mysql
    public let configuration: MariaDBConfiguration
    private let writer: ConnectionSlot
    private let readers: ConnectionPool

    /// `url` is `mysql://user:password@host:3306/database[?ssl=required]`.
    public init(url: String, readConnections: Int = 4, logger: Logger = Logger(label: "jobpulse.mysql")) throws {
        let configuration = try MariaDBConfiguration(url: url)
        self.configuration = configuration
        writer = ConnectionSlot(configuration: configuration, logger: logger)
        readers = ConnectionPool(slots: (0..<max(1, readConnections)).map { _ in ConnectionSlot(configuration: configuration, logger: logger) })
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        try await writer.transaction(body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        let slot = await readers.take()
        // A task, because `defer` cannot await: the slot goes back as soon as the pool's actor runs it.
        defer { Task { await readers.give(slot) } }
        return try await slot.transaction(body)
    }

    public func close() async throws {
        await writer.close()
        await readers.closeAll()
    }
}

/// One connection, connected on first use and again after it was lost.
actor ConnectionSlot {
    private let connection: MariaDBConnection
    private let logger: Logger
    private var connected = false
    private var everConnected = false

    init(configuration: MariaDBConfiguration, logger: Logger) {
        connection = MariaDBConnection(configuration: configuration, logger: logger)
        self.logger = logger
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            if !connected {
                if everConnected { try await connection.reconnect() } else { try await connection.connect() }
                connected = true
                everConnected = true
            }
            return try await connection.blockingTransaction { session in try body(Session(session: session)) }
        } catch let error as MariaDBError where error.isConnectionLost {
            connected = false
            logger.warning("MySQL connection lost; reconnecting on next use", metadata: ["error": "\(error)"])
            throw error
        }
    }

    func close() async { await connection.close() }

    /// Adapts a blocking MariaDB session to the warehouse's SQL seam.
    private struct Session: SQLSession {
        // Valid only during the transaction, like the session it wraps.
        let session: MariaDBBlockingSession

        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            let rows = try session.query(sql, arguments.map(Self.parameter))
            let columns = rows.first?.columns.map(\.name) ?? []
            return rows.map { row in SQLRow(columns: columns, values: row.values.map(Self.value)) }
        }

        func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
            try session.execute(sql, arguments.map(Self.parameter))
        }

        static func parameter(_ value: SQLValue) -> MariaDBValue {
            switch value {
            case .null: .null
            case .int(let v): .int64(v)
            case .double(let v): .double(v)
            case .text(let v): .string(v)
            }
        }

        static func value(_ value: MariaDBValue) -> SQLValue {
            switch value {
            case .null: .null
            case .int64(let v): .int(v)
            case .double(let v): .double(v)
            case .string(let v): .text(v)
            case .date(let d): .text(d.description)
            case .datetime(let seconds): .text(Timestamp.sql(Int64((seconds * 1000).rounded())))
            case .bytes(let b): .text(String(decoding: b, as: UTF8.self))
            }
        }
    }
}

/// Hands out idle connections; a caller waits when all are busy.
actor ConnectionPool {
    private var idle: [ConnectionSlot]
    private var all: [ConnectionSlot]
    private var waiters: [CheckedContinuation<ConnectionSlot, Never>] = []

    init(slots: [ConnectionSlot]) {
        idle = slots
        all = slots
    }

    func take() async -> ConnectionSlot {
        if let slot = idle.popLast() { return slot }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func give(_ slot: ConnectionSlot) {
        if waiters.isEmpty {
            idle.append(slot)
        } else {
            waiters.removeFirst().resume(returning: slot)
        }
    }

    func closeAll() async {
        for slot in all { await slot.close() }
    }
}
#endif
