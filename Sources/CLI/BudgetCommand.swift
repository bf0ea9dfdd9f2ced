import ArgumentParser
import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseWarehouse

/// `jobpulse budget set|list|remove`.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Set, list and remove the budgets of campaigns and jobs; list shows how each one paces.",
        discussion: """
            A campaign or a job has at most one budget: an amount per day, per calendar month, or for a \
            lifetime between two days (UTC). Pacing compares what was spent in the current period with \
            spending the amount evenly over it; the README gives every formula.
            """,
        subcommands: [Set.self, List.self, Remove.self],
        defaultSubcommand: List.self
    )

    /// Which campaign or job a budget is for.
    struct Target: ParsableArguments {
        @Option(help: "The campaign the budget is for.")
        var campaign: Int32?

        @Option(help: "The job the budget is for.")
        var job: Int32?

        var scope: (BudgetScope, Int32) {
            get throws {
                switch (campaign, job) {
                case (let campaign?, nil) where campaign >= 0: (.campaign, campaign)
                case (nil, let job?) where job >= 0: (.job, job)
                default: throw ValidationError("give exactly one of --campaign and --job, a non-negative id")
                }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the budget of a campaign or a job, replacing the one it had.",
            discussion: """
                Examples:
                  jobpulse budget set --campaign 12 --amount 500 --period daily --currency USD
                  jobpulse budget set --job 191 --amount 3000 --period lifetime --starts-on 2026-12-01 --ends-on 2026-12-31
                """
        )

        @OptionGroup var target: Target

        @Option(help: ArgumentHelp("The amount per period, in the account's currency (at most 6 decimals).", valueName: "amount"))
        var amount: String

        @Option(help: ArgumentHelp("daily, monthly, or lifetime (with --starts-on, and --ends-on unless it has no end).", valueName: "period"))
        var period: String

        @Option(help: ArgumentHelp("First day of a lifetime budget (YYYY-MM-DD, UTC).", valueName: "day"))
        var startsOn: String?

        @Option(help: ArgumentHelp("Last day of a lifetime budget, included (YYYY-MM-DD, UTC).", valueName: "day"))
        var endsOn: String?

        @Option(help: ArgumentHelp("The account's currency, as a note (USD, EUR…).", valueName: "code"))
        var currency: String?

        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            try logging.bootstrap()
            let (scope, id) = try target.scope
            let budget: Budget
            do {
                budget = Budget(
                    scope: scope, scopeID: id, amountMicros: try Budget.amountMicros(amount).get(),
                    period: try BudgetPeriod.parse(period, from: startsOn, through: endsOn).get(),
                    currency: try currency.map { try Budget.currency($0).get() })
            } catch let error as BudgetError {
                // The API's field names, as this command's options.
                throw ValidationError(
                    error.description.replacingOccurrences(of: "starts_on", with: "--starts-on").replacingOccurrences(of: "ends_on", with: "--ends-on"))
            }
            try await storage.withWarehouse { try await $0.setBudget(budget) }
            print("\(scope.rawValue) \(id): \(BudgetLine.amount(budget)) \(BudgetLine.period(budget.period))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the budgets with their pacing now.")

        @Option(help: "Only this campaign's budget and those of its jobs.")
        var campaign: Int32?

        @Option(help: "Show at most this many budgets (the job export may give every job one).")
        var limit = 50

        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            try logging.bootstrap()
            let now = WallClock.system.now
            let pacings = try await storage.withWarehouse { try await InsightQueries.pacing($0, campaignID: campaign, now: now) }
            guard !pacings.isEmpty else {
                print("no budgets\(campaign.map { " for campaign \($0)" } ?? ""); set one with `jobpulse budget set`")
                return
            }
            for pacing in pacings.prefix(limit) { print(BudgetLine.describe(pacing)) }
            if pacings.count > limit { print("… and \(pacings.count - limit) more (--limit)") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the budget of a campaign or a job.")

        @OptionGroup var target: Target
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            try logging.bootstrap()
            let (scope, id) = try target.scope
            guard try await storage.withWarehouse({ try await $0.removeBudget(scope: scope, id: id) }) else {
                throw ValidationError("\(scope.rawValue) \(id) has no budget")
            }
            print("removed the budget of \(scope.rawValue) \(id)")
        }
    }
}

/// How the CLI writes budgets and their pacing, one line each.
enum BudgetLine {
    static func amount(_ budget: Budget) -> String {
        money(budget.amountMicros) + (budget.currency.map { " " + $0 } ?? "")
    }

    static func period(_ period: BudgetPeriod) -> String {
        switch period {
        case .daily: "a day"
        case .monthly: "a month"
        case .lifetime(let from, let through): "from \(from)" + (through.map { " through \($0)" } ?? ", without end")
        }
    }

    static func describe(_ p: Pacing) -> String {
        var parts = [
            "\(p.budget.scope.rawValue) \(p.budget.scopeID): \(amount(p.budget)) \(period(p.budget.period))"
                + (p.budget.origin == .jobExport ? " (job export)" : ""),
            "spent \(money(p.spentMicros)), remaining \(money(p.remainingMicros))",
        ]
        if let expected = p.expectedMicros { parts.append("expected \(money(expected))") }
        if let pace = p.pacePercent { parts.append("pace \(pace >= 0 ? "+" : "")\(Int(pace.rounded())) %") }
        if let runsOut = p.runsOutAt { parts.append("runs out \(Timestamp.iso8601(runsOut).prefix(16))Z") }
        parts.append(p.status.rawValue.replacingOccurrences(of: "_", with: " "))
        return parts.joined(separator: ", ")
    }

    static func money(_ micros: Int64) -> String {
        let cents = (micros + 5_000) / 10_000
        let fraction = cents % 100
        return "\(grouped(Int(cents / 100))).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
