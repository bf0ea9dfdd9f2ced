import JobPulseCore

/// Every job's funnel sums over one range of hours (and one publisher or campaign, when the
/// selection names them), as of one commit: what the job panels (active jobs, top jobs) need,
/// kept in memory and moved forward by each commit's own deltas instead of summing the range's
/// rows again.
///
/// A board is exact for the commit it names (`batches`, `position`, as `etl_state` holds them);
/// ``LiveJobBoards`` serves it only while the warehouse is at that commit.
struct JobBoard: Sendable {
    /// The hours the board sums: those whose start lies in `[firstHour, lastHour]` (epoch
    /// milliseconds, nil: open), as ``RollupSource`` reads a filter's range.
    let firstHour: Int64?
    let lastHour: Int64?
    let publisherID: Int32?
    let campaignID: Int32?
    /// The commit the sums are those of.
    private(set) var batches: Int64
    private(set) var position: String?
    private(set) var jobs: [Int32: FunnelMetrics]

    init(selection: DashboardFilter, totals: JobTotals) {
        let source = RollupSource(selection)
        firstHour = source.firstHour
        lastHour = source.lastHour
        publisherID = selection.publisherID
        campaignID = selection.campaignID
        batches = totals.state?.batches ?? 0
        position = totals.state?.position
        jobs = totals.jobs
    }

    /// Whether the sums are those of the warehouse at `state`.
    func isAt(_ state: ETLState?) -> Bool {
        batches == (state?.batches ?? 0) && position == state?.position
    }

    /// Adds a commit that moved the warehouse from this board's commit to the next: the deltas
    /// of the selection, for every job but 0 (no job).
    mutating func add(_ batch: BatchCommit) {
        for delta in batch.deltas where delta.grain.jobID != 0 && selects(delta.grain) {
            jobs[delta.grain.jobID, default: FunnelMetrics()] += delta.metrics
        }
        batches += 1
        position = batch.to
    }

    private func selects(_ grain: Grain) -> Bool {
        let start = grain.hour.hoursSinceEpoch * RollupSource.hour
        return start >= (firstHour ?? .min) && start <= (lastHour ?? .max) && publisherID.map { $0 == grain.publisherID } ?? true
            && campaignID.map { $0 == grain.campaignID } ?? true
    }

    /// How many jobs had a funnel event in the range, and the first `limit` of those with a
    /// click, most clicks first and then by id: the order of the SQL the board stands for.
    func activity(limit: Int) -> (activeJobs: Int64, top: [(jobID: Int32, metrics: FunnelMetrics)]) {
        var active: Int64 = 0
        // The first `limit` so far, kept sorted; a job enters only if it beats the last.
        var top: [(jobID: Int32, metrics: FunnelMetrics)] = []
        for (job, m) in jobs {
            guard m.clicks > 0 || m.conversions > 0 || m.qualified > 0 || m.unqualified > 0 else { continue }
            active += 1
            guard m.clicks > 0, limit > 0 else { continue }
            if top.count == limit, let last = top.last, !Self.ranksBefore((job, m.clicks), (last.jobID, last.metrics.clicks)) { continue }
            let place = top.firstIndex { Self.ranksBefore((job, m.clicks), ($0.jobID, $0.metrics.clicks)) } ?? top.count
            top.insert((job, m), at: place)
            if top.count > limit { top.removeLast() }
        }
        return (active, top)
    }

    private static func ranksBefore(_ a: (job: Int32, clicks: Int64), _ b: (job: Int32, clicks: Int64)) -> Bool {
        a.clicks != b.clicks ? a.clicks > b.clicks : a.job < b.job
    }
}
