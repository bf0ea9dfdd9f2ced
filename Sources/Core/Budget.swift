/// What a budget covers: all the spend of one campaign, or of one job.
public enum BudgetScope: String, Sendable, Hashable, CaseIterable {
    case campaign, job
}

/// The stretch of time a budget's amount is for. Periods are UTC, like every figure here.
public enum BudgetPeriod: Sendable, Hashable {
    /// The amount is for each UTC day.
    case daily
    /// The amount is for each calendar month (UTC).
    case monthly
    /// The amount is for the whole run, from `from` through `through` (inclusive), or without
    /// an end: then spend and what remains are known, but no linear pace.
    case lifetime(from: UTCDay, through: UTCDay?)

    /// `daily`, `monthly` or `lifetime`, as stored and as the API and the CLI name it.
    public var name: String {
        switch self {
        case .daily: "daily"
        case .monthly: "monthly"
        case .lifetime: "lifetime"
        }
    }

    /// Reads a period from its name and, for `lifetime`, its days; the error says what is wrong.
    public static func parse(_ name: String, from: String?, through: String?) -> Result<BudgetPeriod, BudgetError> {
        switch name {
        case "daily", "monthly":
            guard from == nil, through == nil else { return .failure(.datesOnlyForLifetime) }
            return .success(name == "daily" ? .daily : .monthly)
        case "lifetime":
            guard let from else { return .failure(.lifetimeNeedsStart) }
            guard let start = UTCDay(from) else { return .failure(.unreadableDay(field: "starts_on", value: from)) }
            guard let through else { return .success(.lifetime(from: start, through: nil)) }
            guard let end = UTCDay(through) else { return .failure(.unreadableDay(field: "ends_on", value: through)) }
            guard end >= start else { return .failure(.endsBeforeItStarts) }
            return .success(.lifetime(from: start, through: end))
        default:
            return .failure(.unknownPeriod(name))
        }
    }

    /// The period that holds `now`: its first instant and the instant after its last (epoch
    /// milliseconds); `end` is nil for a lifetime without an end. A lifetime is one period
    /// whatever `now` is, before it starts or after it ended.
    public func window(at now: Int64) -> (start: Int64, end: Int64?) {
        let today = UTCDay(epochMilliseconds: now)
        switch self {
        case .daily:
            return (today.startMilliseconds, today.adding(days: 1).startMilliseconds)
        case .monthly:
            return (today.firstOfMonth.startMilliseconds, today.firstOfNextMonth.startMilliseconds)
        case .lifetime(let from, let through):
            return (from.startMilliseconds, through.map { $0.adding(days: 1).startMilliseconds })
        }
    }
}

/// Who set a budget: by hand (`jobpulse budget set`, `PUT /api/budgets/…`), or the job export's
/// `budget` column, a default that a budget set by hand replaces and a re-import never overwrites.
public enum BudgetOrigin: String, Sendable, Hashable {
    case manual
    case jobExport = "job-export"
}

/// An amount to spend on a campaign or a job per period.
public struct Budget: Sendable, Hashable {
    public var scope: BudgetScope
    public var scopeID: Int32
    /// The amount in millionths of the account's currency, as spend is counted.
    public var amountMicros: Int64
    public var period: BudgetPeriod
    /// The account's currency, as a note (`USD`, `EUR`…): spend carries no currency of its own.
    public var currency: String?
    public var origin: BudgetOrigin

    public init(scope: BudgetScope, scopeID: Int32, amountMicros: Int64, period: BudgetPeriod, currency: String? = nil, origin: BudgetOrigin = .manual) {
        self.scope = scope
        self.scopeID = scopeID
        self.amountMicros = amountMicros
        self.period = period
        self.currency = currency
        self.origin = origin
    }

    /// Reads an amount (`500`, `1250.75`: a positive decimal with at most six decimals, below a
    /// trillion) as millionths.
    public static func amountMicros(_ text: String) -> Result<Int64, BudgetError> {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 12, whole.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || (parts[1].count >= 1 && parts[1].count <= 6 && parts[1].allSatisfy(\.isASCIIDigit)),
            let units = Int64(whole)
        else { return .failure(.unreadableAmount(text)) }
        let fraction = parts.count == 2 ? String(parts[1]) + String(repeating: "0", count: 6 - parts[1].count) : "0"
        let micros = units * 1_000_000 + (Int64(fraction) ?? 0)
        guard micros > 0 else { return .failure(.unreadableAmount(text)) }
        return .success(micros)
    }

    /// The currency note: 1 to 8 letters, upper-cased.
    public static func currency(_ text: String) -> Result<String, BudgetError> {
        guard (1...8).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isLetter }) else { return .failure(.unreadableCurrency(text)) }
        return .success(text.uppercased())
    }
}

/// Why a budget cannot be set as given.
public enum BudgetError: Error, Equatable, CustomStringConvertible {
    case unknownPeriod(String)
    case lifetimeNeedsStart
    case datesOnlyForLifetime
    case unreadableDay(field: String, value: String)
    case endsBeforeItStarts
    case unreadableAmount(String)
    case unreadableCurrency(String)

    public var description: String {
        switch self {
        case .unknownPeriod(let name): "period must be daily, monthly or lifetime; got \(quotedValue(name))"
        case .lifetimeNeedsStart: "a lifetime budget needs starts_on (YYYY-MM-DD)"
        case .datesOnlyForLifetime: "starts_on and ends_on belong to lifetime budgets only"
        case .unreadableDay(let field, let value): "\(field) must be a date YYYY-MM-DD; got \(quotedValue(value))"
        case .endsBeforeItStarts: "ends_on is before starts_on"
        case .unreadableAmount(let text): "amount must be a positive number with at most 6 decimals, below 10^12; got \(quotedValue(text))"
        case .unreadableCurrency(let text): "currency must be 1 to 8 letters (USD, EUR…); got \(quotedValue(text))"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
