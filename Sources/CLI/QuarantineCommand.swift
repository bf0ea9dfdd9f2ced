import ArgumentParser
import JobPulseCore

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List the rejected rows kept in the lake's quarantine, newest first."
    )

    @Option(help: "How many rows to show.")
    var limit = 20

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let (rows, total) = try await storage.withLake { try await $0.quarantine(limit: limit) }
        print("\(grouped(total)) rejected rows\(total > rows.count ? ", newest \(rows.count) shown" : "")")
        for row in rows {
            let raw = row.rejection.raw.count > 120 ? String(row.rejection.raw.prefix(120)) + "…" : row.rejection.raw
            print("\(Timestamp.iso8601(row.receivedAt))  \(row.rejection)\n    \(raw)")
        }
    }
}
