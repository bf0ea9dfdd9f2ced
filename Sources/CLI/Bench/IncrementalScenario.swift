import Foundation
import JobPulseETL
import JobPulseLake
import JobPulseWarehouse

/// Scenario 2: the cost of one batch of new events on top of growing history. On a lake of its
/// own, the same kind of batch is timed at each history size: 10,000 events arriving now (the
/// median of three batches), after the history (events spread over the last two days) has
/// been committed untimed. The ratio between the largest and the smallest history should
/// stay flat: a batch's cost follows its own events, not what came before.
struct IncrementalScenario {
    let directory: String
    let histories: [Int]
    let batch: Int

    func run() async throws -> BenchFigures {
        var figures = BenchFigures("2. incremental batch of \(grouped(batch)) new events on top of history")
        let lake = try SQLiteLake(path: directory + "/lake.db")
        let database = try SQLiteDatabase(path: directory + "/warehouse.db")
        let warehouse = SQLWarehouse(database: database)
        try await warehouse.migrate()
        var generated = 0
        var times: [Double] = []
        for (level, history) in histories.enumerated() {
            if history > generated {
                try generate(history - generated, days: 2, seed: UInt64(100 + level))
                generated = history
                _ = try await pipeline(lake, warehouse, batchSize: 500_000).runUntilCaughtUp()
                // The history's commit leaves a long write-ahead log; fold it in untimed, or the
                // first timed commit pays for it.
                try await database.checkpoint()
            }
            let committed = try await warehouse.state(source: lake.kind)?.eventsTotal ?? 0
            try generate(3 * batch + batch / 10, days: 0, seed: UInt64(200 + level))
            if level == 0 { try await warmUp(lake) }
            var samples: [Double] = []
            for _ in 0..<3 {
                let clock = ContinuousClock()
                let started = clock.now
                guard let report = try await pipeline(lake, warehouse, batchSize: batch).runBatch(), report.events == batch else {
                    throw BenchError("fewer new events than a batch on top of \(history)")
                }
                samples.append((clock.now - started).inSeconds)
            }
            _ = try await pipeline(lake, warehouse, batchSize: batch).runUntilCaughtUp()
            let median = samples.sorted()[1]
            times.append(median)
            figures.add("history \(grouped(committed)) events", median * 1000, "ms")
        }
        if let first = times.first, let last = times.last {
            figures.add("ratio largest / smallest history", last / first, "x")
        }
        return figures
    }

    private func pipeline(_ lake: SQLiteLake, _ warehouse: SQLWarehouse, batchSize: Int) -> ETLPipeline {
        ETLPipeline(lake: lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: batchSize, owner: "bench"))
    }

    /// Appends generated events (a few are rejected, as in real traffic) through `jobpulse generate`.
    private func generate(_ count: Int, days: Int, seed: UInt64) throws {
        _ = try ChildProcess.run([
            "generate", "--count", String(count), "--days", String(days), "--seed", String(seed), "--no-jobs",
            "--data-dir", directory, "--log-level", "error",
        ])
    }

    /// One untimed batch into a throwaway warehouse, so that the first timed batch does not pay
    /// for cold caches and first-use set-up.
    private func warmUp(_ lake: SQLiteLake) async throws {
        let scratch = SQLWarehouse(database: try SQLiteDatabase(path: directory + "/warm-up-warehouse.db"))
        try await scratch.migrate()
        _ = try await ETLPipeline(lake: lake, warehouse: scratch, configuration: ETLConfiguration(batchSize: batch, owner: "bench")).runBatch()
    }
}
