import CassandraStandIn
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseLake
import NIOConcurrencyHelpers

/// A stand-in node with a keyspace name, opening Cassandra lakes on it with a given clock.
package struct StandInCluster: Sendable {
    /// 2025-11-29T10:00:00Z, on a bucket boundary.
    package static let start: Int64 = 1_764_410_400_000

    package let node: CassandraStandIn
    package let keyspace = "jp"

    package static func start(credentials: (user: String, password: String)? = nil) async throws -> StandInCluster {
        StandInCluster(node: try await CassandraStandIn.start(credentials: credentials))
    }

    package func url(_ options: String = "", credentials: String = "") -> String {
        "cassandra://\(credentials)127.0.0.1:\(node.port)/\(keyspace)" + (options.isEmpty ? "" : "?" + options)
    }

    package func open(
        _ options: String = "", clock: ManualWallClock, schema: CassandraLake.SchemaAction = .createIfMissing,
        credentials: String = ""
    ) async throws -> CassandraLake {
        guard let url = StorageURL(url(options, credentials: credentials)) else { throw TestFailure("bad URL \(options)") }
        return try await CassandraLake.open(CassandraLakeConfiguration(url: url), schema: schema, clock: clock.wallClock)
    }

    /// Statements run so far whose text starts with `prefix`.
    package func executions(_ prefix: String) -> [StandInExecution] {
        node.store.log.filter { $0.text.hasPrefix(prefix) }
    }

    package func stop() async { await node.stop() }
}

extension RawEvent {
    /// An event with the given fields set.
    package static func with(_ fields: [TrackingField: String], extra: [String: String] = [:]) -> RawEvent {
        var event = RawEvent(extra: extra)
        for (field, value) in fields { event[field] = value }
        return event
    }
}
