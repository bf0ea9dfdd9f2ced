import ArgumentParser
import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseWarehouse

/// `jobpulse advice`: the bid advice per publisher, as `GET /api/advice` gives it.
struct AdviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advice",
        abstract: "Advise raising, keeping, lowering or pausing each publisher's bid for a campaign or a job.",
        discussion: """
            Each recommendation comes with its evidence in numbers. A publisher with fewer than 30 \
            clicks gets none; a pause or a change of bid needs a result that chance would explain \
            with probability under 5 %. The README states every rule.
            """
    )

    @OptionGroup var target: BudgetCommand.Target

    @Option(help: ArgumentHelp("The window: the hours that started in the last this many days (default 7).", valueName: "days"))
    var days = 7

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be between 1 and 3660") }
    }

    func run() async throws {
        try logging.bootstrap()
        let (scope, id) = try target.scope
        let to = WallClock.system.now, from = to - Int64(days) * UTCDay.milliseconds
        let advice = try await storage.withWarehouse { try await InsightQueries.advice($0, scope: scope, id: id, from: from, to: to) }
        guard !advice.isEmpty else {
            print("\(scope.rawValue) \(id) has no publisher activity in the last \(days) days")
            return
        }
        print("\(scope.rawValue) \(id), \(Timestamp.iso8601(from).prefix(16))Z to \(Timestamp.iso8601(to).prefix(16))Z:")
        for entry in advice {
            let f = entry.figures
            print(
                "publisher \(f.publisherID): \(entry.recommendation.rawValue.replacingOccurrences(of: "_", with: " ")) (\(f.clicks) clicks, "
                    + "spend \(BudgetLine.money(f.spendMicros)), \(f.conversions) conversions, \(f.qualified) qualified): \(entry.evidence)")
        }
    }
}

/// `jobpulse alerts`: the alerts the warehouse holds, as `GET /api/alerts` gives them.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the alerts: firing ones first, then the resolved.",
        discussion: """
            The process that runs the ETL (serve, etl) evaluates the rules after each commit and \
            keeps their state in the warehouse; this reads that state. See the --alert-* options \
            of serve for the thresholds and the webhooks.
            """
    )

    @Flag(help: "Only the alerts that are firing.")
    var firing = false

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let alerts = try await storage.withWarehouse { try await $0.alerts() }
            .filter { !firing || $0.state == .firing }
        guard !alerts.isEmpty else {
            print(firing ? "no alert is firing" : "no alert has fired")
            return
        }
        for alert in alerts {
            print("\(alert.state.rawValue) since \(Timestamp.iso8601(alert.since).prefix(16))Z  \(alert.key)  \(alert.message)")
        }
    }
}
