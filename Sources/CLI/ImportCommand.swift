import ArgumentParser
import Foundation
import JobPulseCore
import JobPulseLake

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append a tracking-log CSV export to the lake.",
        discussion: """
            Reads the 29-column tracking export (RFC 4180 quoting; a header row, when present, maps \
            columns by name and keeps unknown ones) in bounded memory. Every row with a readable ts, \
            not more than --max-future ahead of this machine's clock, is appended to the lake; every other row goes to the quarantine with its line number \
            and the reason (see `jobpulse quarantine`). Ends with received / accepted / rejected.
            """
    )

    @Argument(help: ArgumentHelp("The CSV file to import.", valueName: "tracking.csv"))
    var file: String

    @Option(help: ArgumentHelp("Rows per lake transaction: each one commits and syncs to disk once.", valueName: "rows"))
    var batchSize = 10_000

    @OptionGroup var admission: AdmissionOptions
    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        try logging.bootstrap()
        let futureTolerance = try admission.futureTolerance()
        let bar = ProgressBar()
        let count = try await storage.withLake { lake in
            var importer = TrackingFileImport(lake: lake)
            importer.futureTolerance = futureTolerance
            importer.batchSize = batchSize
            defer { bar.finish() }
            return try await importer.run(path: file) { progress in
                let fraction = progress.totalBytes > 0 ? Double(progress.bytesRead) / Double(progress.totalBytes) : 1
                bar.update(fraction: fraction, detail: "\(grouped(progress.count.accepted)) accepted, \(grouped(progress.count.rejected)) rejected")
            }
        }
        print(
            "received \(grouped(count.received)) / accepted \(grouped(count.accepted)) / rejected \(grouped(count.rejected))"
                + "; peak memory \(ResourceUsage.peakMemoryMiB) MiB")
        if count.rejected > 0 {
            print("rejected rows are in the quarantine: jobpulse quarantine")
        }
    }
}
