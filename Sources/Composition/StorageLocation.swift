import Foundation
import JobPulseCore

/// Where a process's lake and warehouse are: the URLs it was given, else the `JOBPULSE_LAKE` and
/// `JOBPULSE_WAREHOUSE` variables, else `lake.db` and `warehouse.db` in the data folder (itself
/// given, else `JOBPULSE_DATA_DIR`, else a default).
public struct StorageLocation: Sendable {
    public var dataDirectory: String
    public var lake: StorageURL
    public var warehouse: StorageURL

    public init(
        dataDirectory: String?, lake: String?, warehouse: String?, settings: JobPulseSettings = .process,
        defaultDataDirectory: String = "jobpulse-data"
    ) throws(StorageSetupError) {
        let directory = Self.dataDirectory(dataDirectory, settings: settings, default: defaultDataDirectory)
        self.dataDirectory = directory
        self.lake = try Self.url(lake ?? settings[.lake], file: "lake.db", in: directory)
        self.warehouse = try Self.url(warehouse ?? settings[.warehouse], file: "warehouse.db", in: directory)
    }

    /// The data folder: the one given, else `JOBPULSE_DATA_DIR`, else `fallback`.
    public static func dataDirectory(_ given: String?, settings: JobPulseSettings = .process, default fallback: String) -> String {
        given ?? settings[.dataDir] ?? fallback
    }

    private static func url(_ given: String?, file: String, in directory: String) throws(StorageSetupError) -> StorageURL {
        guard let given else {
            return StorageURL("sqlite://" + URL(fileURLWithPath: directory).appendingPathComponent(file).path)!
        }
        guard let url = StorageURL(given) else { throw .notAStorageURL(StorageURL.redacted(given)) }
        return url
    }
}

/// Why storage cannot be set up as configured; messages never show a password.
public enum StorageSetupError: Error, CustomStringConvertible, Equatable {
    case notAStorageURL(String)
    case unsupportedLake(String)
    case unsupportedWarehouse(String)
    case builtWithoutMySQL
    case invalidKeyWindow(String)

    public var description: String {
        switch self {
        case .notAStorageURL(let text):
            "\"\(text)\" is not a storage URL (sqlite:///path, mysql://…, cassandra://…)"
        case .unsupportedLake(let url):
            "unsupported lake \(url) (expected sqlite:///path or cassandra://user:password@host:9042/keyspace)"
        case .unsupportedWarehouse(let url):
            "unsupported warehouse \(url) (expected sqlite:///path or mysql://user:password@host:3306/database)"
        case .builtWithoutMySQL:
            "this jobpulse was built without MySQL support; build it with `swift build --traits MySQL` (needs libmariadb-dev)"
        case .invalidKeyWindow(let text):
            "key_window_seconds must be a whole number of seconds from 1 to 31536000, not \"\(text.prefix(40))\""
        }
    }
}
