import JobPulseCore

/// Where a panel's rows come from for a filter: the rollups instead of `events`, so that what a
/// query reads grows with the range it shows, at day resolution, and not with the warehouse.
///
/// A range is the hours whose start lies in `[from, to]`. Its whole days are read from a day
/// rollup; the hours at either end that do not fill a day, from the hour rollup (or from
/// `events`, for the job rollup, which has no hours). A range without whole days is all ends. A
/// range open on both sides reads the all-time rollups, `rollup_job` and `rollup_pair`: one row
/// per job or pair, however many days the history holds.
///
/// Each source is a subquery aliased `e` with the columns of `events` the panels read, so the
/// panels' sums are written once, whichever source they read.
struct RollupSource {
    /// The first and the last hour of the range (hour starts, epoch milliseconds); nil: open.
    let firstHour: Int64?
    let lastHour: Int64?
    /// The whole days of the range, when it has any: from `firstDay` through `lastDay`, each
    /// nil when that side is open.
    let wholeDays: (first: UTCDay?, last: UTCDay?)?

    static let hour: Int64 = 3_600_000

    init(_ filter: DashboardFilter) {
        let first = filter.from.map { Self.ceil($0, to: Self.hour) }
        let last = filter.to.map { Self.floor($0, to: Self.hour) }
        firstHour = first
        lastHour = last
        // The first day that starts at or after the first hour, and the last whose 23:00 is at or
        // before the last hour.
        let firstDay = first.map { UTCDay(epochMilliseconds: Self.ceil($0, to: UTCDay.milliseconds)) }
        let lastDay = last.map { UTCDay(epochMilliseconds: $0 + Self.hour).adding(days: -1) }
        if let firstDay, let lastDay, firstDay > lastDay {
            wholeDays = nil
        } else {
            wholeDays = (firstDay, lastDay)
        }
    }

    /// The hours outside the whole days, as `[from, to]` intervals of hour starts.
    var ends: [(from: Int64?, to: Int64?)] {
        guard let wholeDays else { return [(firstHour, lastHour)] }
        var ends: [(from: Int64?, to: Int64?)] = []
        if let firstHour, let day = wholeDays.first, firstHour < day.startMilliseconds { ends.append((firstHour, day.startMilliseconds - Self.hour)) }
        if let lastHour, let day = wholeDays.last, lastHour >= day.adding(days: 1).startMilliseconds {
            ends.append((day.adding(days: 1).startMilliseconds, lastHour))
        }
        return ends
    }

    /// Sums per day, hour, publisher and campaign: `rollup_day` for whole days, `rollup_hour`
    /// for the ends. Columns: `dates`, the five sums, `publisher_id`, `campaign_id`.
    func campaigns(_ filter: DashboardFilter) -> (sql: String, arguments: [SQLValue]) {
        let columns = "r.dates AS dates, r.publisher_id AS publisher_id, r.campaign_id AS campaign_id, \(Self.sums)"
        return union(filter, columns: columns, days: "rollup_day", hours: "rollup_hour", existing: "r.grains > 0")
    }

    /// Sums per publisher and campaign, for the panels that need no `dates`: `rollup_pair` for all
    /// time unless a job is chosen, else those of ``campaigns(_:)`` (or ``jobs(_:)`` for a job).
    func pairs(_ filter: DashboardFilter) -> (sql: String, arguments: [SQLValue]) {
        if filter.jobID != nil { return jobs(filter) }
        guard firstHour == nil && lastHour == nil else { return campaigns(filter) }
        let columns = "r.publisher_id AS publisher_id, r.campaign_id AS campaign_id, \(Self.sums)"
        return union(filter, columns: columns, days: "rollup_pair", hours: "rollup_hour", existing: "r.grains > 0")
    }

    /// Sums per day (or hour, at the ends), job, publisher and campaign: `rollup_job_day` for
    /// whole days, `events` for the ends, `rollup_job` for all time and every job. Columns: those of
    /// ``campaigns(_:)``, `job_id`, `company_id`; no `dates` for all time.
    func jobs(_ filter: DashboardFilter) -> (sql: String, arguments: [SQLValue]) {
        if firstHour == nil && lastHour == nil && filter.jobID == nil {
            // All time, every job: no `dates`, which only the one-job panels (gauges, breakdowns) read.
            let columns = "r.publisher_id AS publisher_id, r.campaign_id AS campaign_id, r.job_id AS job_id, r.company_id AS company_id, \(Self.sums)"
            return union(filter, columns: columns, days: "rollup_job", hours: "events", existing: nil)
        }
        let columns =
            "r.dates AS dates, r.publisher_id AS publisher_id, r.campaign_id AS campaign_id, r.job_id AS job_id, r.company_id AS company_id, \(Self.sums)"
        return union(filter, columns: columns, days: "rollup_job_day", hours: "events", existing: nil)
    }

    static let sums = """
        r.clicks AS clicks, r.conversion AS conversion, r.qualified_application AS qualified_application, \
        r.disqualified_application AS disqualified_application, r.spend_micros AS spend_micros
        """

    private func union(_ filter: DashboardFilter, columns: String, days: String, hours: String, existing: String?) -> (sql: String, arguments: [SQLValue]) {
        var parts: [String] = []
        var arguments: [SQLValue] = []
        func part(_ table: String, _ range: [String], _ rangeArguments: [SQLValue]) {
            var clauses = range + (existing.map { [$0] } ?? [])
            var values = rangeArguments
            if let publisher = filter.publisherID {
                clauses.append("r.publisher_id = ?")
                values.append(.int(Int64(publisher)))
            }
            if let campaign = filter.campaignID {
                clauses.append("r.campaign_id = ?")
                values.append(.int(Int64(campaign)))
            }
            if let job = filter.jobID {
                clauses.append("r.job_id = ?")
                values.append(.int(Int64(job)))
            }
            parts.append("SELECT \(columns) FROM \(table) r" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")))
            arguments += values
        }
        if let wholeDays {
            var range: [String] = []
            var values: [SQLValue] = []
            if let first = wholeDays.first {
                range.append("r.dates >= ?")
                values.append(.text(first.description))
            }
            if let last = wholeDays.last {
                range.append("r.dates <= ?")
                values.append(.text(last.description))
            }
            part(days, range, values)
        }
        for end in ends {
            var range: [String] = []
            var values: [SQLValue] = []
            if let from = end.from {
                range.append("r.hour_start >= ?")
                values.append(.text(SQLWarehouse.wholeSeconds(from)))
            }
            if let to = end.to {
                range.append("r.hour_start <= ?")
                values.append(.text(SQLWarehouse.wholeSeconds(to)))
            }
            part(hours, range, values)
        }
        return ("(" + parts.joined(separator: " UNION ALL ") + ") e", arguments)
    }

    static func ceil(_ millis: Int64, to unit: Int64) -> Int64 { -floor(-millis, to: unit) }
    static func floor(_ millis: Int64, to unit: Int64) -> Int64 { millis - ((millis % unit) + unit) % unit }
}
