import ArgumentParser
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseGenerator

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate realistic synthetic tracking traffic and the matching job dimension.",
        discussion: """
            Six publishers with their own bids and funnel rates send clicks, conversions and \
            qualified and unqualified applications for 300 jobs of 24 companies, in 30 campaigns and \
            60 groups. About a third of the rows are browser events with their ids only in `ed` \
            (some with lists of ids), some arrive hours late, and about 0.5% have a broken ts and \
            must be rejected.

            With --count N, N rows arriving over the last --days days are written as fast as \
            possible; with --rate R, R rows a second arrive now, for --duration seconds or until \
            stopped. Rows go into the lake (jobs into the warehouse), or into CSV files with \
            --csv / --jobs-csv. The generator's own tally is printed at the end for reconciliation.
            """
    )

    @Option(help: "Generate this many rows as fast as possible.")
    var count: Int?

    @Option(help: ArgumentHelp("Rows per second, arriving now.", valueName: "events/s"))
    var rate: Double?

    @Option(help: ArgumentHelp("Seconds to generate at --rate (default: until stopped).", valueName: "seconds"))
    var duration: Double?

    @Option(help: "With --count: days over which the rows' arrival times are spread, ending now (0: all now).")
    var days = 2

    @Option(help: "Seed of the random generator; the same seed gives the same traffic.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Write the tracking rows to this CSV file (with a header) instead of the lake.", valueName: "path"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the job dimension to this CSV file instead of the warehouse.", valueName: "path"))
    var jobsCSV: String?

    @Flag(help: "Do not write the job dimension.")
    var noJobs = false

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (count == nil) != (rate == nil) else { throw ValidationError("give either --count N or --rate R") }
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if days < 0 { throw ValidationError("--days must not be negative") }
        if csv != nil, rate != nil { throw ValidationError("--csv works with --count only") }
    }

    func run() async throws {
        try logging.bootstrap()
        var generator = TrafficGenerator(seed: seed)
        if !noJobs {
            if let jobsCSV {
                try CSVFile.write(path: jobsCSV, header: JobRecord.columns, rows: generator.jobs.map(TrafficGenerator.exportRow))
                print("wrote \(generator.jobs.count) jobs to \(jobsCSV)")
            } else {
                try await storage.withWarehouse { [jobs = generator.jobs] in try await $0.upsertJobs(jobs) }
                print("loaded \(generator.jobs.count) jobs into the warehouse")
            }
        }
        if let csv, let count {
            let now = WallClock.system.now
            let span = Int64(days) * 86_400_000
            let rows = (0..<count).lazy.map { index in
                generator.nextRow(arrivingAt: now - span + span * Int64(index) / Int64(max(count, 1)))
            }
            try CSVFile.write(path: csv, header: TrackingField.columnNames, rows: rows)
            print("wrote \(grouped(count)) rows to \(csv)")
            printTally(generator.tally)
            return
        }
        let feed = try await storage.withLake { [generator] lake in
            var feed = TrafficFeed(generator: generator, lake: lake)
            if let count {
                let bar = ProgressBar()
                try await feed.backfill(total: count, span: .seconds(days * 86_400)) { done in
                    bar.update(fraction: Double(done) / Double(max(count, 1)), detail: "\(grouped(done)) rows")
                }
                bar.finish()
            } else if let rate {
                print("generating \(rate) events/s\(duration.map { " for \($0) s" } ?? " until stopped (Ctrl-C)")")
                let seconds = duration
                feed = try await withTaskCancellationOnSignal { [feed] in
                    var running = feed
                    try await running.live(rate: rate, duration: seconds.map { .milliseconds(Int64($0 * 1000)) })
                    return running
                }
            }
            return feed
        }
        print("received \(grouped(feed.count.received)) / accepted \(grouped(feed.count.accepted)) / rejected \(grouped(feed.count.rejected))")
        printTally(feed.generator.tally)
    }

    private func printTally(_ tally: GeneratorTally) {
        print(
            """
            generator tally: \(grouped(tally.received)) rows, \(grouped(tally.malformed)) with a broken ts; \
            \(grouped(tally.clicks)) clicks, \(grouped(tally.conversions)) conversions, \(grouped(tally.qualified)) qualified, \
            \(grouped(tally.unqualified)) unqualified, \(grouped(tally.other)) other; spend \(money(tally.spendMicros)); \
            \(grouped(tally.late)) late; \(grouped(tally.activeJobs)) active jobs
            """)
    }
}

enum CSVFile {
    /// Writes a CSV file with a header row, streaming rows to disk as they are made.
    static func write(path: String, header: [String], rows: some Sequence<[String]>) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write \(path)")
        }
        defer { try? handle.close() }
        var buffer = CSVWriter.line(header) + "\n"
        for row in rows {
            buffer += CSVWriter.line(row) + "\n"
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
    }
}
