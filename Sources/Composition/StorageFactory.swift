import Foundation
import JobPulseCore
import JobPulseLake
import JobPulseWarehouse

/// The one place where lakes and warehouses are made from their URLs. Whoever calls it owns what
/// it returns and closes it (`EventLake.close()`).
public enum StorageFactory {
    /// Opens the lake: an SQLite file (creating its folder and file when needed) or a Cassandra
    /// keyspace (creating its tables when missing; every `CREATE … IF NOT EXISTS` with `migrate`).
    /// Only `migrate` upgrades a lake written by an earlier release; `upgradeProgress` follows it.
    public static func openLake(
        _ url: StorageURL, migrate: Bool = false,
        upgradeProgress: (@Sendable (SQLiteLakeUpgrade.Progress) -> Void)? = nil
    ) async throws -> any EventLake {
        switch url.scheme {
        case "sqlite":
            try makeParent(of: url.path)
            return try SQLiteLake(path: url.path, keyWindow: try keyWindow(url), upgrade: migrate, progress: upgradeProgress)
        case "cassandra":
            return try await CassandraLake.open(CassandraLakeConfiguration(url: url), schema: migrate ? .create : .createIfMissing)
        default:
            throw StorageSetupError.unsupportedLake(url.description)
        }
    }

    /// Opens the warehouse and creates its tables when missing.
    public static func openWarehouse(_ url: StorageURL) async throws -> any Warehouse {
        let warehouse: any Warehouse
        switch url.scheme {
        case "sqlite":
            try makeParent(of: url.path)
            warehouse = SQLWarehouse(database: try SQLiteDatabase(path: url.path))
        case "mysql", "mariadb":
            #if MySQL
            warehouse = SQLWarehouse(database: try MySQLDatabase(url: url.text))
            #else
            throw StorageSetupError.builtWithoutMySQL
            #endif
        default:
            throw StorageSetupError.unsupportedWarehouse(url.description)
        }
        try await warehouse.migrate()
        return warehouse
    }

    /// How long an SQLite lake remembers an `Idempotency-Key`: `?key_window_seconds=` in its URL,
    /// as for a Cassandra lake.
    private static func keyWindow(_ url: StorageURL) throws(StorageSetupError) -> Duration {
        guard let text = url.query["key_window_seconds"] else { return IntakeKey.defaultWindow }
        guard let seconds = Int(text), (1...31_536_000).contains(seconds) else { throw .invalidKeyWindow(text) }
        return .seconds(seconds)
    }

    private static func makeParent(of path: String) throws {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    }
}
