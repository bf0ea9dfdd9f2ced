import ArgumentParser
import Foundation
import JobPulseCore
import JobPulseLake
import JobPulseWarehouse
import Logging

/// Where the lake and the warehouse are. Each option falls back to its environment variable,
/// then to a file in the data folder.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder for the embedded SQLite lake and warehouse (env JOBPULSE_DATA_DIR).", valueName: "path"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("Raw event lake URL: sqlite:///var/lib/jobpulse/lake.db[?key_window_seconds=86400] or cassandra://user:password@host1:9042,host2:9042/keyspace[?consistency=LOCAL_QUORUM&safety_lag_seconds=5&…] (env JOBPULSE_LAKE; options in docs/cassandra.md). Default: <data-dir>/lake.db.", valueName: "url"))
    var lake: String?

    @Option(name: .long, help: ArgumentHelp("Warehouse URL: sqlite:///var/lib/jobpulse/warehouse.db or mysql://user:password@host:3306/db[?ssl=required] (env JOBPULSE_WAREHOUSE). Default: <data-dir>/warehouse.db.", valueName: "url"))
    var warehouse: String?

    func dataDirectory(default fallback: String = "jobpulse-data") -> String {
        dataDir ?? ProcessInfo.processInfo.environment["JOBPULSE_DATA_DIR"] ?? fallback
    }

    func lakeURL(dataDirectory: String) throws -> StorageURL {
        try Self.url(lake ?? ProcessInfo.processInfo.environment["JOBPULSE_LAKE"], file: "lake.db", in: dataDirectory)
    }

    func warehouseURL(dataDirectory: String) throws -> StorageURL {
        try Self.url(warehouse ?? ProcessInfo.processInfo.environment["JOBPULSE_WAREHOUSE"], file: "warehouse.db", in: dataDirectory)
    }

    private static func url(_ given: String?, file: String, in directory: String) throws -> StorageURL {
        if let given {
            guard let url = StorageURL(given) else {
                throw ValidationError("\"\(StorageURL.redacted(given))\" is not a storage URL (sqlite:///path, mysql://…, cassandra://…)")
            }
            return url
        }
        return StorageURL("sqlite://" + URL(fileURLWithPath: directory).appendingPathComponent(file).path)!
    }

    /// Opens the lake: an SQLite file (creating its folder and file when needed) or a Cassandra
    /// keyspace (creating its tables when missing; every `CREATE … IF NOT EXISTS` with `migrate`).
    /// Only `migrate` upgrades a lake written by an earlier release; `upgradeProgress` follows it.
    func openLake(dataDirectory: String? = nil, migrate: Bool = false,
                  upgradeProgress: (@Sendable (SQLiteLakeUpgrade.Progress) -> Void)? = nil) async throws -> any EventLake {
        let url = try lakeURL(dataDirectory: dataDirectory ?? self.dataDirectory())
        switch url.scheme {
        case "sqlite":
            try Self.makeParent(of: url.path)
            return try SQLiteLake(path: url.path, keyWindow: try Self.keyWindow(url), upgrade: migrate, progress: upgradeProgress)
        case "cassandra":
            return try await CassandraLake.open(CassandraLakeConfiguration(url: url), schema: migrate ? .create : .createIfMissing)
        default:
            throw ValidationError("unsupported lake \(url) (expected sqlite:///path or cassandra://user:password@host:9042/keyspace)")
        }
    }

    /// How long an SQLite lake remembers an `Idempotency-Key`: `?key_window_seconds=` in its URL,
    /// as for a Cassandra lake.
    private static func keyWindow(_ url: StorageURL) throws -> Duration {
        guard let text = url.query["key_window_seconds"] else { return IntakeKey.defaultWindow }
        guard let seconds = Int(text), (1...31_536_000).contains(seconds) else {
            throw ValidationError("key_window_seconds must be a whole number of seconds from 1 to 31536000, not \"\(text.prefix(40))\"")
        }
        return .seconds(seconds)
    }

    /// Opens the warehouse and creates its tables when missing.
    func openWarehouse(dataDirectory: String? = nil) async throws -> any Warehouse {
        let url = try warehouseURL(dataDirectory: dataDirectory ?? self.dataDirectory())
        let warehouse: any Warehouse
        switch url.scheme {
        case "sqlite":
            try Self.makeParent(of: url.path)
            warehouse = SQLWarehouse(database: try SQLiteDatabase(path: url.path))
        case "mysql", "mariadb":
            #if MySQL
            warehouse = SQLWarehouse(database: try MySQLDatabase(url: url.text))
            #else
            throw ValidationError("this jobpulse was built without MySQL support; build it with `swift build --traits MySQL` (needs libmariadb-dev)")
            #endif
        default:
            throw ValidationError("unsupported warehouse \(url) (expected sqlite:///path or mysql://user:password@host:3306/database)")
        }
        try await warehouse.migrate()
        return warehouse
    }

    private static func makeParent(of path: String) throws {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    }
}

/// `--log-level`, shared by every command.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (env JOBPULSE_LOG_LEVEL).", valueName: "level"))
    var logLevel: String?

    init() {}

    init(logLevel: String) { self.logLevel = logLevel }

    func bootstrap() throws {
        let name = logLevel ?? ProcessInfo.processInfo.environment["JOBPULSE_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: name) else { throw ValidationError("unknown log level \"\(name)\"") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Numbers as people read them: `1,234,567`.
func grouped(_ value: some BinaryInteger) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return (value < 0 ? "-" : "") + out
}

func money(_ micros: Int64) -> String {
    let cents = (micros + 5_000) / 10_000
    return "\(grouped(cents / 100)).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints a line at once, even when standard output is a pipe (for lines other programs wait for).
func printNow(_ message: String) {
    FileHandle.standardOutput.write(Data((message + "\n").utf8))
}
