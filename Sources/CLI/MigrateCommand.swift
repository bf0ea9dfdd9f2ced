import ArgumentParser
import JobPulseLake
import Synchronization

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the lake's and the warehouse's tables where missing, and upgrade those of earlier releases.",
        discussion: """
            Safe to run any number of times; every other command also creates missing tables on first use, \
            but only migrate upgrades. An SQLite lake written before the typed layout (raw fields as text \
            columns) is rewritten in place as typed rows and compressed raw chunks, every event keeping its \
            position, in transactions that a restart resumes; the file is compacted at the end. A warehouse \
            gains the columns and indexes of this release. For a cassandra:// lake it creates the keyspace \
            (with the URL's replication, e.g. ?replication=NetworkTopologyStrategy:dc1=3,dc2=3) and its tables; \
            a keyspace of an earlier release gains the typed columns, filled for every stored event. Stop the \
            collectors of the earlier release first: events they write afterwards lack the typed values.
            """
    )

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let directory = storage.dataDirectory()
        let bar = ProgressBar()
        let upgraded = Mutex<SQLiteLakeUpgrade.Progress?>(nil)
        try await storage.withLake(
            migrate: true,
            upgradeProgress: { progress in
                upgraded.withLock { $0 = progress }
                bar.update(
                    fraction: Double(progress.copied) / Double(max(progress.total, 1)),
                    detail: "upgrading the lake: \(grouped(progress.copied)) of \(grouped(progress.total)) events")
            }
        ) { _ in }
        if let progress = upgraded.withLock({ $0 }) {
            bar.finish()
            print("lake upgraded to the typed layout: \(grouped(progress.copied)) events, each at its position")
        }
        print("lake ready: \(try storage.lakeURL(dataDirectory: directory))")
        try await storage.withWarehouse { _ in }
        print("warehouse ready: \(try storage.warehouseURL(dataDirectory: directory))")
    }
}
