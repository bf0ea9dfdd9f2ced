import JobPulseClock
import JobPulseCore
import Synchronization

/// The job panels (active jobs, top jobs) of unfiltered ranges kept up to date by the commits of
/// the ETL in this process, so that answering them reads no rows of the range.
///
/// Those panels must sum every job of the range, which no rollup makes smaller: a day of a busy
/// warehouse holds a million grains of tens of thousands of jobs. So for each range asked for
/// without a filter, a ``JobBoard`` holds every job's sums: read once (``DashboardWarehouse/jobTotals(_:source:)``),
/// then moved forward by each commit the ETL makes through this warehouse (it is the ETL's
/// ``CommitWarehouse``), with the commit's own deltas. The page's ranges move once an hour, so a
/// range's board is read about once an hour.
///
/// A board answers only while the warehouse is at the commit it holds (`etl_state`'s batches and
/// position, read on each request): a commit by another process (a `jobpulse etl`, Spark) makes it
/// stale, and the panels are read from the warehouse until a new board is read, at most once a
/// minute per range. A board read while commits land is brought to the latest with the commits
/// made since its read began. Filtered ranges are always read from the warehouse.
public final class LiveJobBoards: DashboardWarehouse, CommitWarehouse {
    public typealias Base = DashboardWarehouse & CommitWarehouse
    let base: any Base
    /// The lake whose commits the boards follow (`etl_state.source`).
    let source: String
    let clock: WallClock
    /// Ranges kept at once; the one asked for least recently goes first.
    static let capacity = 8
    /// A range not asked for this long is dropped.
    static let idleAfter: Int64 = 10 * 60_000
    /// How soon a range whose board went stale may be read again.
    static let rereadAfter: Int64 = 60_000

    struct RangeKey: Hashable {
        let from: Int64?
        let to: Int64?
    }

    private struct Slot {
        var board: JobBoard?
        var reading = false
        var readAt: Int64 = .min
        var askedAt: Int64
    }

    enum Lookup {
        case board(JobBoard)
        /// The warehouse is past the board, and a commit of this process is landing: wait for it.
        case commitLanding
        /// The board is past the state just read: read the state again.
        case ahead
        /// No board to answer from; `read`: start reading one.
        case none(read: Bool)
    }

    private struct Kept {
        var slots: [RangeKey: Slot] = [:]
        var commitsLanding = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        /// The commits made while a board is read, to bring it to the latest.
        var recent: [BatchCommit] = []
        var reading = 0
        /// Answers given from a board, and boards read: what the tests observe.
        var answered = 0
        var reads = 0

        mutating func lookup(_ key: RangeKey, at state: ETLState?, now: Int64) -> Lookup {
            slots = slots.filter { now - $0.value.askedAt < LiveJobBoards.idleAfter }
            guard var slot = slots[key] else { return .none(read: startReading(key, now: now)) }
            slot.askedAt = now
            defer { slots[key] = slot }
            if let board = slot.board {
                if board.isAt(state) {
                    answered += 1
                    return .board(board)
                }
                if board.batches > state?.batches ?? 0 { return .ahead }
                if commitsLanding > 0 { return .commitLanding }
                slot.board = nil
            }
            guard !slot.reading, now - slot.readAt >= LiveJobBoards.rereadAfter else { return .none(read: false) }
            slot.reading = true
            reading += 1
            return .none(read: true)
        }

        /// Marks `key`'s board as being read, making room for it; false when it is being read
        /// or kept already.
        mutating func startReading(_ key: RangeKey, now: Int64) -> Bool {
            if slots[key] == nil, slots.count >= LiveJobBoards.capacity, let oldest = slots.min(by: { $0.value.askedAt < $1.value.askedAt }) {
                slots[oldest.key] = nil
            }
            guard slots[key]?.reading != true, slots[key]?.board == nil else { return false }
            slots[key, default: Slot(askedAt: now)].reading = true
            reading += 1
            return true
        }

        /// A commit of this process landed: the boards at its start move forward; the others
        /// are stale and go.
        mutating func landed(_ batch: BatchCommit) {
            for key in slots.keys {
                guard let board = slots[key]?.board else { continue }
                if board.position == batch.from {
                    slots[key]?.board?.add(batch)
                } else {
                    slots[key]?.board = nil
                }
            }
            if reading > 0 { recent.append(batch) }
        }

        mutating func read(_ key: RangeKey, _ totals: JobTotals?, range: DashboardFilter, now: Int64) {
            reading -= 1
            defer { if reading == 0 { recent.removeAll() } }
            guard slots[key] != nil else { return }
            slots[key]?.reading = false
            slots[key]?.readAt = now
            guard let totals else { return }
            reads += 1
            var board = JobBoard(range: range, totals: totals)
            if var next = recent.firstIndex(where: { $0.from == board.position }) {
                while next < recent.count, recent[next].from == board.position {
                    board.add(recent[next])
                    next += 1
                }
            }
            slots[key]?.board = board
        }
    }

    private let kept = Mutex(Kept())

    public init(base: any Base, source: String, clock: WallClock = .system) {
        self.base = base
        self.source = source
        self.clock = clock
    }

    public var kind: String { base.kind }

    public func jobActivity(_ filter: DashboardFilter, limit: Int) async throws -> JobActivity {
        guard filter.publisherID == nil, filter.campaignID == nil, filter.jobID == nil else {
            return try await base.jobActivity(filter, limit: limit)
        }
        let key = RangeKey(from: filter.from, to: filter.to)
        // Three tries: a state read just before a commit landed, or while one lands, is read again.
        for _ in 0..<3 {
            let state = try await base.state(source: source)
            let now = clock.now
            switch kept.withLock({ $0.lookup(key, at: state, now: now) }) {
            case .board(let board): return try await answer(from: board, limit: limit)
            case .ahead: continue
            case .commitLanding: await commitLanded()
            case .none(let read):
                if read { startReading(key, filter) }
                return try await base.jobActivity(filter, limit: limit)
            }
        }
        return try await base.jobActivity(filter, limit: limit)
    }

    private func answer(from board: JobBoard, limit: Int) async throws -> JobActivity {
        let (active, top) = board.activity(limit: limit)
        let details = try await base.jobDetails(top.map(\.jobID))
        return JobActivity(
            activeJobs: active,
            top: top.map { JobRanking(jobID: $0.jobID, title: details[$0.jobID]?.title, companyID: details[$0.jobID]?.companyID, metrics: $0.metrics) })
    }

    /// Reads a range's board in a task of its own: the request that asked does not wait for it.
    private func startReading(_ key: RangeKey, _ filter: DashboardFilter) {
        Task { await self.read(key, filter) }
    }

    private func read(_ key: RangeKey, _ filter: DashboardFilter) async {
        let range = DashboardFilter(from: filter.from, to: filter.to)
        let totals = try? await base.jobTotals(range, source: source)
        let now = clock.now
        kept.withLock { $0.read(key, totals, range: range, now: now) }
    }

    /// Reads the board of `filter`'s range now, unless it is kept or being read already: for a
    /// caller that knows which range will be asked for next.
    public func readBoard(for filter: DashboardFilter) async {
        let key = RangeKey(from: filter.from, to: filter.to)
        let now = clock.now
        guard kept.withLock({ $0.startReading(key, now: now) }) else { return }
        await read(key, filter)
    }

    private func commitLanded() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let landed = kept.withLock { kept in
                if kept.commitsLanding == 0 { return true }
                kept.waiting.append(continuation)
                return false
            }
            if landed { continuation.resume() }
        }
    }

    public func commit(_ batch: BatchCommit, checkpoint: @escaping @Sendable (BatchStep) throws -> Void) async throws {
        kept.withLock { $0.commitsLanding += 1 }
        do {
            try await base.commit(batch, checkpoint: checkpoint)
        } catch {
            // Rolled back, or lost on the way back: a board left behind is read again.
            finish(nil)
            throw error
        }
        finish(batch)
    }

    private func finish(_ batch: BatchCommit?) {
        let waiting = kept.withLock { kept in
            kept.commitsLanding -= 1
            if let batch { kept.landed(batch) }
            defer { kept.waiting.removeAll() }
            return kept.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Answers given from a board and boards read so far.
    var counts: (answered: Int, reads: Int) { kept.withLock { ($0.answered, $0.reads) } }

    // Everything else is the base warehouse's.

    public func state(source: String) async throws -> ETLState? { try await base.state(source: source) }
    public func factCount() async throws -> Int { try await base.factCount() }
    public func funnelTotals(_ filter: DashboardFilter) async throws -> FunnelMetrics { try await base.funnelTotals(filter) }
    public func jobTotals(_ filter: DashboardFilter, source: String) async throws -> JobTotals {
        try await base.jobTotals(filter, source: source)
    }
    public func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails] { try await base.jobDetails(jobIDs) }
    public func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges { try await base.dayGauges(filter) }
    public func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint] { try await base.hourly(filter) }
    public func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow] {
        try await base.breakdown(filter, by: dimension)
    }
    public func filterValues() async throws -> FilterValues { try await base.filterValues() }
    public func companyIDs(forJobs jobIDs: [Int32]) async throws -> [Int32: Int32] { try await base.companyIDs(forJobs: jobIDs) }
    public func acquireLease(source: String, lakeIdentity: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        try await base.acquireLease(source: source, lakeIdentity: lakeIdentity, owner: owner, ttlMilliseconds: ttlMilliseconds)
    }
    public func takeOverLease(source: String, from holder: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        try await base.takeOverLease(source: source, from: holder, owner: owner, ttlMilliseconds: ttlMilliseconds)
    }
    public func releaseLease(source: String, owner: String) async throws { try await base.releaseLease(source: source, owner: owner) }
}
