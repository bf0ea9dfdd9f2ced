import ArgumentParser
import JobPulseCore
import JobPulseLake

struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Type every event of the lake again from its raw fields, with this release's normalization rules.",
        discussion: """
            The lake stores each event's raw fields as they came and, beside them, the typed values \
            (kind, job, publisher, campaign and group ids, bid in micros, event time) that the rules gave \
            it when it was admitted; the ETL reads only the typed values. When a release changes the \
            rules, reprocess rewrites the typed values that differ and says how many.

            A warehouse already holds the old values' aggregates. To see every event under the new \
            rules, rebuild it from the lake: run `jobpulse etl --once --warehouse <new URL>` \
            into a new, empty warehouse and switch the dashboards to it. Events the ETL reads after \
            reprocess are counted with the new values in any warehouse.

            Safe to interrupt and to run again; the collector and the ETL may keep running.
            """
    )

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let bar = ProgressBar()
        let report = try await storage.withLake { lake in
            // A Cassandra lake counts only up to its count_limit: the bar then stops short of the end.
            let total = try await lake.count(after: nil)
            defer { bar.finish() }
            return try await lake.reprocess { events in
                bar.update(fraction: min(0.99, Double(events) / Double(max(total, 1))), detail: "\(grouped(events)) events reprocessed")
            }
        }
        print("\(grouped(report.events)) events reprocessed, \(grouped(report.changed)) typed differently than before")
        if report.changed > 0 {
            print("warehouses built before this run hold the earlier values: rebuild one from the lake to count every event anew")
        }
    }
}
