import CassandraStandIn
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseLake
import NIOConcurrencyHelpers

/// A stand-in node with a keyspace name, opening Cassandra lakes on it with a given clock.
struct StandInCluster: Sendable {
    /// 2025-11-29T10:00:00Z, on a bucket boundary.
    static let start: Int64 = 1_764_410_400_000

    let node: CassandraStandIn
    let keyspace = "jp"

    static func start(credentials: (user: String, password: String)? = nil) async throws -> StandInCluster {
        StandInCluster(node: try await CassandraStandIn.start(credentials: credentials))
    }

    func url(_ options: String = "", credentials: String = "") -> String {
        "cassandra://\(credentials)127.0.0.1:\(node.port)/\(keyspace)" + (options.isEmpty ? "" : "?" + options)
    }

    func open(
        _ options: String = "", clock: ManualWallClock, schema: CassandraLake.SchemaAction = .createIfMissing,
        credentials: String = ""
    ) async throws -> CassandraLake {
        guard let url = StorageURL(url(options, credentials: credentials)) else { throw TestFailure("bad URL \(options)") }
        return try await CassandraLake.open(CassandraLakeConfiguration(url: url), schema: schema, clock: clock.wallClock)
    }

    /// Statements run so far whose text starts with `prefix`.
    func executions(_ prefix: String) -> [StandInExecution] {
        node.store.log.filter { $0.text.hasPrefix(prefix) }
    }

    func stop() async { await node.stop() }
}

extension RawEvent {
    /// An event with the given fields set.
    static func with(_ fields: [TrackingField: String], extra: [String: String] = [:]) -> RawEvent {
        var event = RawEvent(extra: extra)
        for (field, value) in fields { event[field] = value }
        return event
    }
}
