import JobPulseClock
import JobPulseCore
import Synchronization

/// The job panels (active jobs, top jobs) kept up to date by the commits of the ETL in this
/// process, so that answering them reads no rows of the range.
///
/// Those panels must sum every job of the range, which no rollup makes smaller: a day of a busy
/// warehouse holds a million grains of tens of thousands of jobs. So for each selection asked
/// for (a range, and a publisher or campaign if any), a ``JobBoard`` holds every job's sums:
/// read once (``DashboardWarehouse/jobTotals(_:source:)``), then moved forward by each commit
/// the ETL makes through this warehouse (it is the ETL's
/// ``CommitWarehouse``), with the commit's own deltas. The page's ranges move once an hour, so a
/// selection's board is read about once an hour.
///
/// A board answers only while the warehouse is at the commit it holds (`etl_state`'s batches and
/// position, read on each request): a commit by another process (a `jobpulse etl`, Spark) makes it
/// stale, and the panels are read from the warehouse until a new board is read, at most once a
/// minute per selection. A board read while commits land is brought to the latest with the
/// commits made since its read began. While a selection's board is being read, its askers wait
/// for that read rather than read the same range from the warehouse beside it: on a large
/// warehouse both reads take seconds, and the ETL commits to the same database meanwhile. The
/// panels of one job are read from the warehouse.
public final class LiveJobBoards: DashboardWarehouse, CommitWarehouse {
    public typealias Base = DashboardWarehouse & CommitWarehouse
    let base: any Base
    /// The lake whose commits the boards follow (`etl_state.source`).
    let source: String
    let clock: WallClock
    /// Selections kept at once; the one asked for least recently goes first.
    static let capacity = 16
    /// A selection not asked for this long is dropped.
    static let idleAfter: Int64 = 10 * 60_000
    /// How soon a selection whose board went stale may be read again.
    static let rereadAfter: Int64 = 60_000

    private struct Slot {
        var board: JobBoard?
        var reading = false
        /// When the last board was read; nil before one was.
        var readAt: Int64?
        var askedAt: Int64
    }

    enum Lookup {
        case board(JobBoard)
        /// The warehouse is past the board, and a commit of this process is landing: wait for it.
        case commitLanding
        /// The selection's board is being read: wait for it.
        case beingRead
        /// The board is past the state just read: read the state again.
        case ahead
        /// No board to answer from; `read`: start reading one.
        case none(read: Bool)
    }

    private struct Kept {
        /// By selection: a filter without a job.
        var slots: [DashboardFilter: Slot] = [:]
        var commitsLanding = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        /// By selection, who waits for its board's read; resumed when the read ends, whether the
        /// selection is still kept or not.
        var awaitingRead: [DashboardFilter: [CheckedContinuation<Void, Never>]] = [:]
        /// The commits made while a board is read, to bring it to the latest.
        var recent: [BatchCommit] = []
        var reading = 0
        /// Answers given from a board, and boards read: what the tests observe.
        var answered = 0
        var reads = 0

        mutating func lookup(_ key: DashboardFilter, at state: ETLState?, now: Int64) -> Lookup {
            slots = slots.filter { now - $0.value.askedAt < LiveJobBoards.idleAfter }
            slots[key]?.askedAt = now
            if let board = slots[key]?.board {
                if board.isAt(state) {
                    answered += 1
                    return .board(board)
                }
                if board.batches > state?.batches ?? 0 { return .ahead }
                if commitsLanding > 0 { return .commitLanding }
                slots[key]?.board = nil
            }
            if slots[key]?.reading == true { return .beingRead }
            return .none(read: startReading(key, now: now))
        }

        /// Marks `key`'s board as being read, making room for it; false when it is being read or
        /// kept already, or was read less than ``LiveJobBoards/rereadAfter`` ago (and went stale).
        mutating func startReading(_ key: DashboardFilter, now: Int64) -> Bool {
            if slots[key] == nil, slots.count >= LiveJobBoards.capacity, let oldest = slots.min(by: { $0.value.askedAt < $1.value.askedAt }) {
                slots[oldest.key] = nil
            }
            if let slot = slots[key], slot.reading || slot.board != nil || slot.readAt.map({ now - $0 < LiveJobBoards.rereadAfter }) == true {
                return false
            }
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

        /// Keeps the board read for `key` (nil: the read failed); those who waited for it.
        mutating func read(_ key: DashboardFilter, _ totals: JobTotals?, now: Int64) -> [CheckedContinuation<Void, Never>] {
            reading -= 1
            let waiters = awaitingRead.removeValue(forKey: key) ?? []
            defer { if reading == 0 { recent.removeAll() } }
            guard slots[key] != nil else { return waiters }
            slots[key]?.reading = false
            // A failed read is tried again at the next ask.
            guard let totals else { return waiters }
            slots[key]?.readAt = now
            reads += 1
            var board = JobBoard(selection: key, totals: totals)
            if var next = recent.firstIndex(where: { $0.from == board.position }) {
                while next < recent.count, recent[next].from == board.position {
                    board.add(recent[next])
                    next += 1
                }
            }
            slots[key]?.board = board
            return waiters
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
        guard filter.jobID == nil else { return try await base.jobActivity(filter, limit: limit) }
        // Four tries: a read of the board started and waited for, and a state read just before a
        // commit landed, or while one lands, is read again.
        for _ in 0..<4 {
            let state = try await base.state(source: source)
            let now = clock.now
            switch kept.withLock({ $0.lookup(filter, at: state, now: now) }) {
            case .board(let board): return try await answer(from: board, limit: limit)
            case .ahead: continue
            case .commitLanding: await commitLanded()
            case .beingRead: await boardRead(filter)
            case .none(read: true): startReading(filter)
            case .none(read: false): return try await base.jobActivity(filter, limit: limit)
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

    /// Reads a selection's board in a task of its own: the request that asked does not wait for it.
    private func startReading(_ key: DashboardFilter) {
        Task { await self.read(key) }
    }

    private func read(_ key: DashboardFilter) async {
        let totals = try? await base.jobTotals(key, source: source)
        let now = clock.now
        let waiters = kept.withLock { $0.read(key, totals, now: now) }
        for continuation in waiters { continuation.resume() }
    }

    /// Returns once the board of `key` being read has been read (or its read failed).
    private func boardRead(_ key: DashboardFilter) async {
        await wait { kept, continuation in
            guard kept.slots[key]?.reading == true else { return false }
            kept.awaitingRead[key, default: []].append(continuation)
            return true
        }
    }

    /// Suspends until resumed by whoever `park` leaves the continuation with in the kept state;
    /// returns at once when `park` finds nothing to wait for (and keeps nothing).
    private func wait(_ park: (inout Kept, CheckedContinuation<Void, Never>) -> Bool) async {
        await withCheckedContinuation { continuation in
            if !kept.withLock({ park(&$0, continuation) }) { continuation.resume() }
        }
    }

    /// Reads the board of `filter`'s selection now, unless it is kept or being read already: for
    /// a caller that knows what will be asked for next.
    public func readBoard(for filter: DashboardFilter) async {
        let now = clock.now
        guard filter.jobID == nil, kept.withLock({ $0.startReading(filter, now: now) }) else { return }
        await read(filter)
    }

    private func commitLanded() async {
        await wait { kept, continuation in
            guard kept.commitsLanding > 0 else { return false }
            kept.waiting.append(continuation)
            return true
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
