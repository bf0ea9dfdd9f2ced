import ArgumentParser
import JobPulseWarehouse

struct ImportJobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-jobs",
        abstract: "Load the job dimension (the 30-column job export) into the warehouse.",
        discussion: """
            Inserts new jobs and updates known ones, so re-running it with a newer export refreshes \
            the dimension; rows already aggregated for a job take its new company_id. Rows without \
            an integer id are reported with their line and reason.
            """
    )

    @Argument(help: ArgumentHelp("The job export CSV.", valueName: "job.csv"))
    var file: String

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        try await storage.withWarehouse { warehouse in
            let result = try await JobFileImport(warehouse: warehouse).run(path: file)
            for rejection in result.rejections.prefix(20) { printError("rejected \(rejection)") }
            if result.rejections.count > 20 { printError("… and \(result.rejections.count - 20) more rejected rows") }
            print(
                "received \(grouped(result.count.received)) / accepted \(grouped(result.count.accepted)) / rejected \(grouped(result.count.rejected)); the warehouse holds \(grouped(try await warehouse.jobCount())) jobs"
            )
        }
    }
}
