import ArgumentParser
import Foundation
import JobPulseComposition
import JobPulseCore
import JobPulseLake
import JobPulseWarehouse
import Logging

/// Where the lake and the warehouse are: the flags, resolved by ``StorageLocation`` (each falls
/// back to its environment variable, then to a file in the data folder) and opened by
/// ``StorageFactory``. Errors of the setup are the command line's (`ValidationError`).
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder for the embedded SQLite lake and warehouse (env JOBPULSE_DATA_DIR).", valueName: "path"))
    var dataDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Raw event lake URL: sqlite:///var/lib/jobpulse/lake.db[?key_window_seconds=86400] or cassandra://user:password@host1:9042,host2:9042/keyspace[?consistency=LOCAL_QUORUM&safety_lag_seconds=5&…] (env JOBPULSE_LAKE; options in docs/cassandra.md). Default: <data-dir>/lake.db.",
            valueName: "url"))
    var lake: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Warehouse URL: sqlite:///var/lib/jobpulse/warehouse.db or mysql://user:password@host:3306/db[?ssl=required] (env JOBPULSE_WAREHOUSE). Default: <data-dir>/warehouse.db.",
            valueName: "url"))
    var warehouse: String?

    func location(defaultDataDirectory: String = "jobpulse-data") throws -> StorageLocation {
        try validated { try StorageLocation(dataDirectory: dataDir, lake: lake, warehouse: warehouse, defaultDataDirectory: defaultDataDirectory) }
    }

    func dataDirectory(default fallback: String = "jobpulse-data") -> String {
        StorageLocation.dataDirectory(dataDir, default: fallback)
    }

    func lakeURL(dataDirectory: String) throws -> StorageURL {
        try location(defaultDataDirectory: dataDirectory).lake
    }

    func warehouseURL(dataDirectory: String) throws -> StorageURL {
        try location(defaultDataDirectory: dataDirectory).warehouse
    }

    /// Opens the lake (see ``StorageFactory/openLake(_:migrate:upgradeProgress:)``).
    func openLake(
        dataDirectory: String? = nil, migrate: Bool = false,
        upgradeProgress: (@Sendable (SQLiteLakeUpgrade.Progress) -> Void)? = nil
    ) async throws -> any EventLake {
        let url = try location(defaultDataDirectory: dataDirectory ?? "jobpulse-data").lake
        return try await validated { try await StorageFactory.openLake(url, migrate: migrate, upgradeProgress: upgradeProgress) }
    }

    /// Opens the warehouse and creates its tables when missing.
    func openWarehouse(dataDirectory: String? = nil) async throws -> any Warehouse {
        let url = try location(defaultDataDirectory: dataDirectory ?? "jobpulse-data").warehouse
        return try await validated { try await StorageFactory.openWarehouse(url) }
    }

    /// Runs `body` with the open lake, and closes it on every path, errors included.
    func withLake<T>(
        migrate: Bool = false, upgradeProgress: (@Sendable (SQLiteLakeUpgrade.Progress) -> Void)? = nil,
        _ body: (any EventLake) async throws -> T
    ) async throws -> T {
        try await withClosing(try await openLake(migrate: migrate, upgradeProgress: upgradeProgress), close: { await $0.close() }, body)
    }

    /// Runs `body` with the open warehouse, and closes it on every path, errors included.
    func withWarehouse<T>(_ body: (any Warehouse) async throws -> T) async throws -> T {
        try await withClosing(try await openWarehouse(), close: { try await $0.close() }, body)
    }

    private func validated<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StorageSetupError { throw ValidationError(error.description) }
    }

    private func validated<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as StorageSetupError { throw ValidationError(error.description) }
    }
}

/// `--log-level`, shared by every command.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (env JOBPULSE_LOG_LEVEL).", valueName: "level"))
    var logLevel: String?

    init() {}

    init(logLevel: String) { self.logLevel = logLevel }

    func bootstrap() throws {
        let name = logLevel ?? JobPulseSettings.process[.logLevel] ?? "info"
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
