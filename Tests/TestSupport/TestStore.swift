import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseWarehouse

#if MySQL
import MariaDBTestSupport
#endif

/// A lake in a temporary folder, and a warehouse beside it (SQLite) or in a database of its
/// own on the suite's MariaDB server.
package struct TestStore: Sendable {
    package let directory: TemporaryDirectory
    package let lake: SQLiteLake
    package let warehouse: SQLWarehouse

    /// A store in `directory`, by default a new one: the layout of `jobpulse --data-dir`.
    package init(_ backend: Backend = .sqlite, directory: TemporaryDirectory? = nil) async throws {
        self.directory = try directory ?? TemporaryDirectory()
        lake = try SQLiteLake(path: self.directory.file("lake.db"))
        switch backend {
        case .sqlite:
            warehouse = SQLWarehouse(database: try SQLiteDatabase(path: self.directory.file("warehouse.db")))
        #if MySQL
        case .mysql:
            warehouse = SQLWarehouse(database: try MySQLDatabase(url: try await Self.newMySQLDatabase()))
        #endif
        }
        try await warehouse.migrate()
    }

    #if MySQL
    /// Creates an empty database on the suite's server and returns its URL.
    package static func newMySQLDatabase() async throws -> String {
        let server = try SharedServer.require()
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try await server.runAsRoot("CREATE DATABASE \(name)")
        return "mysql://jp:jp@127.0.0.1:\(server.port)/\(name)?ssl=disabled"
    }
    #endif

    package func pipeline(
        batchSize: Int = 50_000, owner: String? = nil,
        checkpoint: @escaping @Sendable (BatchStep) throws -> Void = { _ in }
    ) -> ETLPipeline {
        ETLPipeline(
            lake: lake, warehouse: warehouse,
            configuration: ETLConfiguration(batchSize: batchSize, interval: .milliseconds(50), owner: owner),
            checkpoint: checkpoint)
    }

    /// Writes `count` generated rows (through admission) and returns what was accepted. The rows
    /// are made on a thread of their own: tens of thousands of them would otherwise hold one of
    /// the few threads that every test running beside this one shares.
    @discardableResult
    package func generate(_ generator: inout TrafficGenerator, count: Int, arrivingAt now: Int64 = TestClock.now) async throws -> IntakeCount {
        let start = generator
        var (batch, advanced) = try await offloaded {
            var generator = start
            var batch = IntakeBatch(origin: "test")
            for index in 0..<count {
                batch.admit(fields: generator.nextRow(arrivingAt: now - Int64(count - index) * 1000), layout: .standard, location: index + 1)
            }
            return (batch, generator)
        }
        generator = advanced
        return try await batch.flush(to: lake)
    }
}

package enum TestClock {
    package static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
