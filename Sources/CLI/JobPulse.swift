import ArgumentParser

@main
struct JobPulse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobpulse",
        abstract: "Near-real-time performance tracking for recruitment advertising campaigns.",
        discussion: """
            Tracking events (clicks, applications, hires) go into a raw event lake; an exactly-once \
            CDC ETL turns the new ones into hourly funnel metrics per job, publisher, campaign and \
            group every second, enriched with company data, in a warehouse that dashboards read.

            Start with `jobpulse demo`. Storage is chosen by URL (--lake, --warehouse, or the \
            environment variables JOBPULSE_LAKE and JOBPULSE_WAREHOUSE); by default both are SQLite \
            files in --data-dir (JOBPULSE_DATA_DIR, default ./jobpulse-data).
            """,
        subcommands: [
            DemoCommand.self, ServeCommand.self, ETLCommand.self, ImportCommand.self, ImportJobsCommand.self,
            GenerateCommand.self, MigrateCommand.self, ReprocessCommand.self, StatusCommand.self, QuarantineCommand.self, BudgetCommand.self,
            AdviceCommand.self, AlertsCommand.self, BenchCommand.self,
        ]
    )
}
