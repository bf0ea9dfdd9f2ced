import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the lake's and the warehouse's tables (events, job, etl_state) where missing.",
        discussion: """
            Safe to run any number of times; every other command also does it on first use. For a \
            cassandra:// lake it creates the keyspace (with the URL's replication, e.g. \
            ?replication=NetworkTopologyStrategy:dc1=3,dc2=3) and its tables tracking, quarantine and lake_meta.
            """
    )

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let directory = storage.dataDirectory()
        try await storage.openLake(migrate: true).close()
        print("lake ready: \(try storage.lakeURL(dataDirectory: directory))")
        let warehouse = try await storage.openWarehouse()
        print("warehouse ready: \(try storage.warehouseURL(dataDirectory: directory))")
        try await warehouse.close()
    }
}
