import JobPulseCore

/// The selection every dashboard panel applies: hours whose start lies in `[from, to]`
/// (epoch milliseconds, either end open when `nil`), and optionally one publisher and one
/// campaign (and one job, for the bid advice of a job).
public struct DashboardFilter: Sendable, Hashable {
    public var from: Int64?
    public var to: Int64?
    public var publisherID: Int32?
    public var campaignID: Int32?
    public var jobID: Int32?

    public init(from: Int64? = nil, to: Int64? = nil, publisherID: Int32? = nil, campaignID: Int32? = nil, jobID: Int32? = nil) {
        self.from = from
        self.to = to
        self.publisherID = publisherID
        self.campaignID = campaignID
        self.jobID = jobID
    }
}

/// The five totals (and spend) over the selection.
public struct DashboardTotals: Sendable, Hashable {
    /// Distinct jobs other than 0 with at least one funnel event.
    public var activeJobs: Int64
    public var metrics: FunnelMetrics
}

/// The day's share of qualified and disqualified applications, for the latest day with data.
public struct DayGauges: Sendable, Hashable {
    public var day: String?
    public var qualified: Int64
    public var disqualified: Int64
    /// qualified / (qualified + disqualified); `nil` without applications.
    public var qualifiedShare: Double?
    public var disqualifiedShare: Double?
}

/// The jobs with activity in a selection: how many, and the first ones by clicks.
public struct JobActivity: Sendable, Hashable {
    /// Distinct jobs other than 0 with at least one funnel event.
    public var activeJobs: Int64
    /// The jobs with at least one click, most clicks first (then by id), at most the limit asked.
    public var top: [JobRanking]

    /// The length of the dashboard's top list.
    public static let pageLimit = 10
}

/// Every job's funnel sums over a range, read with the ETL's state in one consistent read: the
/// sums are those of the commit `state` names. What ``LiveJobBoards`` starts a board from.
public struct JobTotals: Sendable {
    public var state: ETLState?
    /// Jobs other than 0 with at least one funnel event in the range.
    public var jobs: [Int32: FunnelMetrics]
}

/// What the top list shows of a job beside its sums: the job dimension's title, and the company
/// its rows hold.
public struct JobDetails: Sendable, Hashable {
    public var title: String?
    public var companyID: Int32?
}

public struct JobRanking: Sendable, Hashable {
    public var jobID: Int32
    public var title: String?
    public var companyID: Int32?
    public var metrics: FunnelMetrics
}

public struct HourlyPoint: Sendable, Hashable {
    public var hour: UTCHour
    public var clicks: Int64
    public var spendMicros: Int64
}

public enum BreakdownDimension: String, Sendable, CaseIterable {
    case publisher = "publisher_id"
    case campaign = "campaign_id"
}

/// Cost and conversion of one publisher or campaign.
public struct BreakdownRow: Sendable, Hashable {
    public var id: Int32
    public var metrics: FunnelMetrics
    /// Spend per click; `nil` without clicks.
    public var costPerClick: Double?
    /// Conversions per click; `nil` without clicks.
    public var conversionRate: Double?
}

public struct FilterValues: Sendable, Hashable {
    public var publishers: [Int32]
    public var campaigns: [Int32]

    public init(publishers: [Int32], campaigns: [Int32]) {
        self.publishers = publishers
        self.campaigns = campaigns
    }
}
