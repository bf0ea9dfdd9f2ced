import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseLake
import JobPulseWarehouse
import Logging
import Metrics

/// The CDC loop: read the events after the committed position, aggregate them with the
/// normalization rules, enrich them with company ids, and commit the deltas and the new position
/// in one warehouse transaction.
///
/// A crash anywhere leaves the warehouse at the previous commit, and the next run starts again
/// from its position: no event is lost, none is counted twice. Only the holder of the lake's
/// lease in the warehouse may commit, so two ETLs never write for the same lake.
public final class ETLPipeline: Sendable {
    public let lake: any EventLake
    public let warehouse: any CommitWarehouse
    public let configuration: ETLConfiguration
    let logger: Logger
    /// For the data age and for waiting out another holder's lease.
    let clock: WallClock
    /// Called after each step of every batch; tests throw from it to simulate a crash there.
    let checkpoint: @Sendable (BatchStep) throws -> Void

    private let batchesCounter = Counter(label: "jobpulse_etl_batches_total")
    private let eventsCounter = Counter(label: "jobpulse_etl_events_total")
    private let failuresCounter = Counter(label: "jobpulse_etl_failures_total")
    private let unusableCounter = Counter(label: "jobpulse_etl_unusable_events_total")
    private let batchTimer = Metrics.Timer(label: "jobpulse_etl_batch_duration_seconds", preferredDisplayUnit: .seconds)
    private let lagGauge = Gauge(label: "jobpulse_etl_lag_events")
    private let ageGauge = Gauge(label: "jobpulse_etl_data_age_seconds")

    public init(
        lake: any EventLake,
        warehouse: any CommitWarehouse,
        configuration: ETLConfiguration = ETLConfiguration(),
        logger: Logger = Logger(label: "jobpulse.etl"),
        clock: WallClock = .system,
        checkpoint: @escaping @Sendable (BatchStep) throws -> Void = { _ in }
    ) {
        self.clock = clock
        self.lake = lake
        self.warehouse = warehouse
        self.configuration = configuration
        self.logger = logger
        self.checkpoint = checkpoint
    }

    /// The same pipeline, committing through `warehouse` (one that wraps this pipeline's own, as
    /// ``LiveJobBoards`` does to follow the commits).
    public func committing(through warehouse: any CommitWarehouse) -> ETLPipeline {
        ETLPipeline(lake: lake, warehouse: warehouse, configuration: configuration, logger: logger, clock: clock, checkpoint: checkpoint)
    }

    /// Runs one batch; `nil` when there was nothing new.
    public func runBatch() async throws -> BatchReport? {
        let stopwatch = ContinuousClock()
        let started = stopwatch.now
        let identity = try await lake.identity()
        let state = try await takeLease(lakeIdentity: identity)
        let records = try await lake.readNormalized(after: state.position.map(LakePosition.init), limit: configuration.batchSize)
        guard let last = records.last else { return nil }
        try checkpoint(.read)

        let batch = await Self.aggregate(records, logger: logger)
        let aggregate = batch.aggregate
        try checkpoint(.aggregated)

        let companies = try await warehouse.companyIDs(forJobs: Array(Set(aggregate.deltas.keys.map(\.jobID))))
        let deltas = aggregate.deltas.map { GrainDelta(grain: $0.key, metrics: $0.value, companyID: companies[$0.key.jobID]) }
        try checkpoint(.enriched)

        let commit = BatchCommit(
            source: lake.kind, lakeIdentity: identity, owner: configuration.owner, from: state.position, to: last.position.token,
            deltas: deltas, funnel: aggregate.funnel, other: aggregate.other,
            newestEventTime: aggregate.newestEventTime, elapsedMilliseconds: (stopwatch.now - started).wholeMilliseconds,
            unusable: batch.unusable, lastUnusablePosition: batch.lastUnusable?.position.token
        )
        try await warehouse.commit(commit, checkpoint: checkpoint)
        try checkpoint(.committed)

        let lag = try await lake.count(after: last.position)
        unusableCounter.increment(by: batch.unusable)
        let report = BatchReport(
            from: state.position, to: last.position.token, funnel: commit.funnel, other: commit.other, grains: deltas.count,
            milliseconds: (stopwatch.now - started).wholeMilliseconds, lagEvents: lag, newestEventTime: aggregate.newestEventTime
        )
        record(report)
        return report
    }

    /// Takes or renews the lease; a holder whose process on this host is gone (killed, crashed)
    /// is taken over at once instead of after its expiry.
    func takeLease(lakeIdentity: String) async throws -> ETLState {
        let ttl = configuration.leaseTTL.wholeMilliseconds
        do {
            return try await warehouse.acquireLease(
                source: lake.kind, lakeIdentity: lakeIdentity, owner: configuration.owner,
                ttlMilliseconds: ttl)
        } catch WarehouseError.leaseHeld(let source, let holder, _) where LeaseHolder(owner: holder)?.hasExitedOnThisHost == true {
            logger.warning("taking over the lease of lake \(source) from \(holder), whose process on this host is gone")
            return try await warehouse.takeOverLease(source: source, from: holder, owner: configuration.owner, ttlMilliseconds: ttl)
        }
    }

    /// A batch's aggregate, and the events in it that the ETL could not use.
    struct AggregatedBatch: Sendable {
        var aggregate = BatchAggregate()
        var unusable = 0
        /// The last unusable event's place: its slice's start and its position.
        var lastUnusable: (slice: Int, position: LakePosition)?

        mutating func merge(_ other: AggregatedBatch) {
            aggregate.merge(other.aggregate)
            unusable += other.unusable
            if let theirs = other.lastUnusable, theirs.slice >= lastUnusable?.slice ?? -1 { lastUnusable = theirs }
        }
    }

    /// Aggregates a batch's typed events on every core: contiguous slices, one task each, merged.
    ///
    /// No event can stop this: one the rules could not type (no readable `ts`) is counted as
    /// *other* and as unusable, logged with its position, and the batch goes on.
    static func aggregate(_ records: [NormalizedRecord], logger: Logger) async -> AggregatedBatch {
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, records.count / 5_000))
        let size = (records.count + slices - 1) / slices
        return await withTaskGroup(of: AggregatedBatch.self) { group in
            for start in stride(from: 0, to: records.count, by: size) {
                let slice = records[start..<min(start + size, records.count)]
                group.addTask {
                    var part = AggregatedBatch()
                    for record in slice {
                        if let event = record.event {
                            part.aggregate.add(event)
                        } else {
                            part.aggregate.addUnreadable()
                            part.unusable += 1
                            part.lastUnusable = (start, record.position)
                            logger.warning("lake event at position \(record.position) cannot be used (its ts is unreadable); counted as other")
                        }
                    }
                    return part
                }
            }
            var total = AggregatedBatch()
            for await part in group { total.merge(part) }
            return total
        }
    }

    private func record(_ report: BatchReport) {
        batchesCounter.increment()
        eventsCounter.increment(by: report.events)
        batchTimer.recordMilliseconds(report.milliseconds)
        lagGauge.record(report.lagEvents)
        if let newest = report.newestEventTime {
            ageGauge.record(Double(clock.now - newest) / 1000)
        }
        logger.info(
            "batch committed",
            metadata: [
                "events": "\(report.events)", "funnel": "\(report.funnel)", "other": "\(report.other)",
                "grains": "\(report.grains)", "ms": "\(report.milliseconds)", "lag_events": "\(report.lagEvents)",
                "position": "\(report.to)",
            ]
        )
    }

    /// Runs batches until the lake holds nothing after the committed position, then releases the lease.
    ///
    /// While another ETL holds the lease, waits for its expiry (saying so) and tries again; if the
    /// holder renewed it meanwhile, it is alive and working, and this run gives up with
    /// ``WarehouseError/leaseHeld``.
    public func runUntilCaughtUp() async throws -> RunReport {
        var run = RunReport()
        var awaited: (holder: String, expiresAt: Int64)?
        do {
            while true {
                let batch: BatchReport?
                do {
                    batch = try await runBatch()
                } catch WarehouseError.leaseHeld(let source, let holder, let expiresAt) {
                    if let awaited, awaited.holder == holder, awaited.expiresAt < expiresAt {
                        throw WarehouseError.leaseHeld(source: source, owner: holder, expiresAt: expiresAt)
                    }
                    awaited = (holder, expiresAt)
                    let wait = max(0, expiresAt - clock.now) + 100
                    logger.notice(
                        "another ETL (\(holder)) holds the lease of lake \(source) until \(Timestamp.iso8601(expiresAt)); waiting \(wait) ms for it to expire")
                    try await Task.sleep(for: .milliseconds(wait))
                    continue
                }
                guard let batch else { break }
                run.add(batch)
                if batch.lagEvents == 0 { break }
            }
        } catch {
            try? await warehouse.releaseLease(source: lake.kind, owner: configuration.owner)
            throw error
        }
        try await warehouse.releaseLease(source: lake.kind, owner: configuration.owner)
        return run
    }

    /// Runs until the task is cancelled: a batch whenever there is something new, at most every
    /// ``ETLConfiguration/interval`` once caught up, sooner when `wake` signals new events after
    /// the interval has passed. Errors are logged and retried with backoff; the last batch
    /// finishes before the loop ends, and the lease is released.
    public func run(wake: WakeSignal? = nil, onBatch: (@Sendable (BatchReport) -> Void)? = nil) async {
        let stopwatch = ContinuousClock()
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            let started = stopwatch.now
            var caughtUp = true
            do {
                // A batch is never cancelled half-way: it commits or rolls back as a whole.
                let batch = try await Task { try await self.runBatch() }.value
                if let batch {
                    onBatch?(batch)
                    caughtUp = batch.lagEvents == 0
                }
                backoff = .milliseconds(250)
            } catch {
                failuresCounter.increment()
                logger.error("batch failed, retrying in \(backoff)", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
                continue
            }
            guard caughtUp else { continue }
            try? await Task.sleep(until: started + configuration.interval, clock: .continuous)
            await wake?.wait(timeout: configuration.interval)
        }
        try? await warehouse.releaseLease(source: lake.kind, owner: configuration.owner)
    }
}
