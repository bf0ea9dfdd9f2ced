import Foundation

/// Scenario 1: a lake full of events aggregated into an empty warehouse by `jobpulse etl --once`
/// in a process of its own, in batches of 200,000 (the fastest size here, for 190 MiB); events
/// per second and that process's peak memory.
struct BackfillScenario {
    let events: Int
    let directory: String

    /// Fills the lake once; the other scenarios reuse it.
    func prepareLake() throws -> BenchFigures {
        var figures = BenchFigures("0. lake preparation (jobpulse generate, not a target)")
        let clock = ContinuousClock()
        let started = clock.now
        _ = try ChildProcess.run(["generate", "--count", String(events), "--data-dir", directory, "--log-level", "error"])
        let seconds = (clock.now - started).inSeconds
        figures.add("events generated and ingested", Double(events), "events")
        figures.add("generation + admission + lake writes", Double(events) / seconds, "events/s")
        return figures
    }

    /// The SQLite lake that ``prepareLake()`` fills.
    var lake: String { "sqlite://" + directory + "/lake.db" }

    /// Runs the ETL from the lake (this scenario's, or `lake`) into the warehouse at `warehouse`
    /// (an empty database). With `measuresLake`, also the lake's bytes on disk per event; with
    /// `countsStatements`, the statements the MySQL server at `warehouse` received per batch and
    /// per 1,000 grains.
    func run(
        label: String, lake: String? = nil, warehouse: String, measuresLake: Bool = false,
        countsStatements: Bool = false
    ) async throws -> BenchFigures {
        var figures = BenchFigures(label)
        let lake = lake ?? self.lake
        let readerCost = countsStatements ? try await ServerStatementCounts.readerCost(url: warehouse) : nil
        let before = countsStatements ? try await ServerStatementCounts.read(url: warehouse) : nil
        let output = try ChildProcess.run([
            "etl", "--once", "--batch-size", "200000", "--lake", lake, "--warehouse", warehouse,
            "--log-level", "error",
        ])
        guard let summary = Self.parse(output) else { throw BenchError("unexpected etl output: \(output)") }
        figures.add("events aggregated", Double(summary.events), "events")
        figures.add("duration", summary.seconds, "s")
        figures.add("throughput", Double(summary.events) / summary.seconds, "events/s")
        if let memory = summary.peakMiB { figures.add("peak memory (RSS) of the ETL process", Double(memory), "MiB") }
        if measuresLake {
            figures.add("lake on disk (lake.db + WAL) per event", Double(try lakeBytes()) / Double(max(summary.events, 1)), "bytes")
        }
        if let before, let readerCost {
            figures.add("batches", Double(summary.batches), "batches")
            figures.add("grain updates", Double(summary.grains), "grains")
            let sent = try await ServerStatementCounts.read(url: warehouse) - before - readerCost
            sent.add(to: &figures, batches: summary.batches, grains: summary.grains)
            figures.notes.append(
                "statements counted by the server (SHOW GLOBAL STATUS) over the whole etl --once run, "
                    + "its start (migrate, lease) included")
        }
        return figures
    }

    /// The lake file and its write-ahead log, in bytes.
    private func lakeBytes() throws -> Int64 {
        try ["/lake.db", "/lake.db-wal"].reduce(Int64(0)) { total, name in
            let path = directory + name
            guard FileManager.default.fileExists(atPath: path) else { return total }
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
            return total + (size?.int64Value ?? 0)
        }
    }

    /// The same backfill through the Spark engine (`etl --once --engine spark`), timed from the
    /// outside: its figure includes starting Spark, which the job pays once per run.
    func runSpark(label: String, lake: String? = nil, warehouse: String) throws -> BenchFigures {
        var figures = BenchFigures(label)
        let lake = lake ?? self.lake
        let clock = ContinuousClock()
        let started = clock.now
        let output = try ChildProcess.run([
            "etl", "--once", "--engine", "spark", "--batch-size", "1000000", "--lake", lake,
            "--warehouse", warehouse, "--log-level", "error",
        ])
        let seconds = (clock.now - started).inSeconds
        guard let line = output.split(separator: "\n").first(where: { $0.contains("caught up at position") }),
            let eventsEnd = line.firstRange(of: " events = "),
            let events = line[..<eventsEnd.lowerBound].split(separator: " ").last.flatMap({ Int($0) })
        else {
            throw BenchError("unexpected output of the Spark engine: \(output.suffix(2000))")
        }
        figures.add("events aggregated", Double(events), "events")
        figures.add("duration, Spark start-up included", seconds, "s")
        figures.add("throughput", Double(events) / seconds, "events/s")
        // Each batch logs its own duration (`batch committed: … ms=1549 …`): reading, aggregating, committing.
        let batchMilliseconds = output.split(separator: "\n").filter { $0.contains("batch committed:") }.compactMap { line in
            line.firstRange(of: " ms=").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
        }.reduce(0, +)
        if batchMilliseconds > 0 {
            figures.add("batches alone (start-up excluded)", Double(batchMilliseconds) / 1000, "s")
            figures.add("throughput of the batches", Double(events) * 1000 / Double(batchMilliseconds), "events/s")
        }
        return figures
    }

    /// Reads `… 2 batches, 1,234 events = … 567 grain updates in 1.23 s; peak memory 45 MiB` from `etl --once`.
    static func parse(_ output: String) -> (events: Int, seconds: Double, peakMiB: Int?, batches: Int, grains: Int)? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("caught up") }),
            let eventsEnd = line.firstRange(of: " events = "),
            let secondsStart = line.firstRange(of: " in "), let secondsEnd = line.firstRange(of: " s;") ?? line.firstRange(of: " s")
        else { return nil }
        let eventsText = line[..<eventsEnd.lowerBound].split(separator: " ").last.map { $0.replacingOccurrences(of: ",", with: "") }
        guard let events = eventsText.flatMap(Int.init), let seconds = Double(line[secondsStart.upperBound..<secondsEnd.lowerBound]) else {
            return nil
        }
        return (events, seconds, ChildProcess.peakMiB(String(line)), count(before: " batches", in: line) ?? 0, count(before: " grain updates", in: line) ?? 0)
    }

    /// The number (with thousands separators) just before `label` in `line`.
    private static func count(before label: String, in line: Substring) -> Int? {
        guard let end = line.firstRange(of: label) else { return nil }
        let digits = line[..<end.lowerBound].reversed().prefix { $0.isNumber || $0 == "," }.filter(\.isNumber)
        return Int(String(digits.reversed()))
    }
}
