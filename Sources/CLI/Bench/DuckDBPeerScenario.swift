import Foundation
import JobPulseComposition
import JobPulseWarehouse

/// Scenario 6 (`--peer duckdb`): the tool a user would pick instead of JobPulse for one CSV.
/// On the same generated tracking CSV, DuckDB (the script `scripts/bench/duckdb_peer.py`, with 2
/// threads) loads the rows into a durable database file and aggregates them to the warehouse's
/// grain under the same rules; beside it `jobpulse import` and `jobpulse etl --once`, with
/// default options. Every step runs as a child process timed from the outside, so both sides
/// pay for their start-up. The funnel totals and grain counts of both are compared exactly.
///
/// DuckDB is installed here with pip into a folder of its own under the work directory, kept
/// between runs (it is a download of some 30 MB); it is never a dependency of the build.
struct DuckDBPeerScenario {
    let rows: Int
    let directory: String
    /// Where pip installs DuckDB: outside the run's temporary folder, so later runs reuse it.
    let packageDirectory: String

    func run() async throws -> BenchFigures {
        var figures = BenchFigures("6. peer: DuckDB beside jobpulse import + etl --once, one CSV of \(grouped(rows)) rows")
        let script = try Self.findScript()
        let csv = directory + "/tracking.csv"
        _ = try ChildProcess.run([
            "generate", "--count", String(rows), "--csv", csv, "--no-jobs", "--data-dir", directory,
            "--log-level", "error",
        ])
        try installDuckDB()

        let clock = ContinuousClock()
        var started = clock.now
        let peerOutput = try ChildProcess.run(
            program: "/usr/bin/env",
            [
                "python3", script, "--csv", csv, "--database", directory + "/peer.duckdb",
                "--threads", "2",
            ],
            environment: ["PYTHONPATH": packageDirectory])
        let peerSeconds = (clock.now - started).inSeconds
        let peer = try PeerTotals(json: peerOutput)

        let jobpulseDirectory = directory + "/jobpulse"
        started = clock.now
        let importOutput = try ChildProcess.run(["import", csv, "--data-dir", jobpulseDirectory, "--log-level", "error"])
        let importSeconds = (clock.now - started).inSeconds
        started = clock.now
        let etlOutput = try ChildProcess.run(["etl", "--once", "--data-dir", jobpulseDirectory, "--log-level", "error"])
        let etlSeconds = (clock.now - started).inSeconds
        var jobpulse = try await PeerTotals.of(warehouse: jobpulseDirectory + "/warehouse.db")
        jobpulse.rejected = try Self.rejectedRows(importOutput)

        figures.add("DuckDB: load CSV into its database file", peer.loadSeconds, "s")
        figures.add("DuckDB: aggregate to the grain", peer.aggregateSeconds, "s")
        figures.add("DuckDB: process, start-up included", peerSeconds, "s")
        figures.add("jobpulse import", importSeconds, "s")
        figures.add("jobpulse etl --once", etlSeconds, "s")
        figures.add("jobpulse import + etl", importSeconds + etlSeconds, "s")
        figures.add("ratio jobpulse / DuckDB", (importSeconds + etlSeconds) / peerSeconds, "x")
        if let memory = ChildProcess.peakMiB(importOutput) { figures.add("peak memory (RSS) of jobpulse import", Double(memory), "MiB") }
        if let memory = ChildProcess.peakMiB(etlOutput) { figures.add("peak memory (RSS) of jobpulse etl --once", Double(memory), "MiB") }
        figures.add("rows rejected for their ts", Double(jobpulse.rejected), "rows")
        figures.add("grains", Double(jobpulse.grains), "rows")
        figures.notes.append(contentsOf: PeerTotals.comparison(jobpulse: jobpulse, duckdb: peer))
        figures.notes.append("DuckDB reads `ed` with its own JSON reader and does not check the 32-level nesting limit")
        return figures
    }

    /// Reads `received 20,000 / accepted 19,905 / rejected 95` from `jobpulse import`.
    static func rejectedRows(_ output: String) throws -> Int64 {
        guard let label = output.firstRange(of: "/ rejected "),
            let rejected = Int64(output[label.upperBound...].prefix { $0.isNumber || $0 == "," }.filter(\.isNumber))
        else {
            throw BenchError("unexpected output of jobpulse import: \(output.prefix(2000))")
        }
        return rejected
    }

    /// `python3 -m pip install --target`, once: a folder of its own keeps DuckDB out of the system's Python.
    private func installDuckDB() throws {
        guard !FileManager.default.fileExists(atPath: packageDirectory + "/duckdb/__init__.py") else { return }
        _ = try ChildProcess.run(
            program: "/usr/bin/env",
            [
                "python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--target", packageDirectory, "duckdb",
            ])
    }

    /// The script ships in the repository: found from the current folder, or above this executable
    /// (`.build/<triple>/release/jobpulse` lies four folders below the repository).
    static func findScript() throws -> String {
        let relative = "scripts/bench/duckdb_peer.py"
        var folders = [FileManager.default.currentDirectoryPath]
        var folder = URL(fileURLWithPath: ChildProcess.executable).deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        guard let found = folders.map({ $0 + "/" + relative }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw BenchError("\(relative) not found; run jobpulse bench from the repository")
        }
        return found
    }
}

/// The funnel totals of one side of the peer comparison.
struct PeerTotals {
    var grains: Int64 = 0
    var clicks: Int64 = 0
    var conversions: Int64 = 0
    var qualified: Int64 = 0
    var unqualified: Int64 = 0
    var spendMicros: Int64 = 0
    var rejected: Int64 = 0
    var loadSeconds = 0.0
    var aggregateSeconds = 0.0

    init() {}

    /// The JSON object the DuckDB script prints.
    init(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw BenchError("unexpected output of the DuckDB script: \(json.prefix(2000))")
        }
        func integer(_ key: String) -> Int64 { (object[key] as? NSNumber)?.int64Value ?? -1 }
        grains = integer("grains")
        clicks = integer("clicks")
        conversions = integer("conversions")
        qualified = integer("qualified")
        unqualified = integer("unqualified")
        spendMicros = integer("spend_micros")
        rejected = integer("rejected")
        loadSeconds = (object["load_seconds"] as? NSNumber)?.doubleValue ?? .nan
        aggregateSeconds = (object["aggregate_seconds"] as? NSNumber)?.doubleValue ?? .nan
    }

    /// The totals of a JobPulse SQLite warehouse's `events` table.
    static func of(warehouse path: String) async throws -> PeerTotals {
        let database = try SQLiteDatabase(path: path)
        return try await withClosing(database, close: { try await $0.close() }) { database in
            try await database.read { session in
                // Sums of an empty table are NULL: read as 0, the totals of no rows.
                let row = try session.query(
                    """
                    SELECT count(*) AS grains, COALESCE(sum(clicks), 0) AS clicks, COALESCE(sum(conversion), 0) AS conversions,
                           COALESCE(sum(qualified_application), 0) AS qualified,
                           COALESCE(sum(disqualified_application), 0) AS unqualified,
                           COALESCE(sum(spend_micros), 0) AS spend_micros FROM events
                    """)[0]
                var totals = PeerTotals()
                totals.grains = try row.int("grains")
                totals.clicks = try row.int("clicks")
                totals.conversions = try row.int("conversions")
                totals.qualified = try row.int("qualified")
                totals.unqualified = try row.int("unqualified")
                totals.spendMicros = try row.int("spend_micros")
                return totals
            }
        }
    }

    /// One note per total: agreement, or both values and their difference.
    static func comparison(jobpulse: PeerTotals, duckdb: PeerTotals) -> [String] {
        let totals: [(String, KeyPath<PeerTotals, Int64>)] = [
            ("clicks", \.clicks), ("conversions", \.conversions), ("qualified", \.qualified), ("unqualified", \.unqualified),
            ("spend (micros)", \.spendMicros), ("grains", \.grains), ("rows rejected", \.rejected),
        ]
        let differing = totals.filter { jobpulse[keyPath: $0.1] != duckdb[keyPath: $0.1] }
        guard !differing.isEmpty else {
            return ["totals agree exactly: " + totals.map { "\($0.0) \(grouped(jobpulse[keyPath: $0.1]))" }.joined(separator: ", ")]
        }
        return differing.map { name, key in
            "\(name) differ: jobpulse \(grouped(jobpulse[keyPath: key])), DuckDB \(grouped(duckdb[keyPath: key])), "
                + "difference \(grouped(jobpulse[keyPath: key] - duckdb[keyPath: key]))"
        }
    }
}
