import Foundation
import JobPulseETL
import JobPulseLake
import JobPulseWarehouse

/// Scenario 2: the cost of one batch of new events on top of growing history (none, a fifth of
/// the lake, and the whole lake but the last three batches). One warehouse
/// commits the lake up to each history size; then batches of `batch` events are timed (the
/// median of three, labelled with the history before the first). The ratio between the largest
/// and the smallest history should stay flat.
struct IncrementalScenario {
    let lakePath: String
    let directory: String
    let batch: Int

    func run() async throws -> BenchFigures {
        var figures = BenchFigures("2. incremental batch of \(grouped(batch)) events on top of history")
        let lake = try SQLiteLake(path: lakePath)
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory + "/incremental-warehouse.db"))
        try await warehouse.migrate()
        // The largest history leaves room for three timed batches after it.
        let largest = try await lake.count(after: nil) - 3 * batch
        let histories = [0, largest / 5, largest]
        try await warmUp(lake)
        var committed = 0
        var times: [Double] = []
        for history in histories {
            if history > committed {
                // Brings the warehouse to exactly `history` events, untimed.
                let catchUp = ETLPipeline(lake: lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: history - committed, owner: "bench"))
                _ = try await catchUp.runBatch()
                committed = history
            }
            let before = committed
            var samples: [Double] = []
            for _ in 0..<3 {
                let pipeline = ETLPipeline(lake: lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: batch, owner: "bench"))
                let clock = ContinuousClock()
                let started = clock.now
                guard let report = try await pipeline.runBatch(), report.events == batch else {
                    throw BenchError("the lake holds too few events for a batch on top of \(history)")
                }
                samples.append((clock.now - started).seconds)
                committed += batch
            }
            let median = samples.sorted()[1]
            times.append(median)
            figures.add("history \(grouped(before)) events", median * 1000, "ms")
        }
        if let first = times.first, let last = times.last {
            figures.add("ratio largest / smallest history", last / first, "x")
        }
        return figures
    }

    /// One untimed batch into a throwaway warehouse, so that the first timed batch does not pay
    /// for cold caches and first-use set-up.
    private func warmUp(_ lake: SQLiteLake) async throws {
        let scratch = SQLWarehouse(database: try SQLiteDatabase(path: directory + "/warm-up-warehouse.db"))
        try await scratch.migrate()
        _ = try await ETLPipeline(lake: lake, warehouse: scratch, configuration: ETLConfiguration(batchSize: batch, owner: "bench")).runBatch()
    }
}
