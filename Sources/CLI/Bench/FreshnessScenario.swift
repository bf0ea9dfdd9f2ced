import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseGenerator
import JobPulseWarehouse

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Scenario 3: sustained HTTP ingestion at a fixed rate into `jobpulse serve`; for every batch,
/// the time from its 2xx answer to the moment its events are counted in the warehouse.
///
/// The lake and the ETL are ordered, so batch k is visible exactly when `etl_state` has counted
/// every event accepted up to and including it.
struct FreshnessScenario {
    var directory: String
    let rate: Double
    let batchSize: Int
    let seconds: Double
    let interval: Double
    /// An empty MySQL/MariaDB database for the warehouse; nil keeps it in SQLite beside the lake.
    var mysqlWarehouse: String? = nil
    /// Open dashboards in the default view during the load (scenario 9); 0 for none.
    var viewers = 0
    /// Warehouse rows written before the server starts, over this many days (scenario 9: the
    /// history of scenario 8, so that the dashboards' figures are those of a large warehouse).
    var history: (rows: Int, days: Int)? = nil
    /// Whether the warehouse holds ``history`` already (9b: the MySQL database 8b wrote).
    var historyIsWritten = false

    func run(label: String = "3. freshness") async throws -> BenchFigures {
        let watched =
            (viewers > 0 ? ", \(viewers) dashboards open" : "") + (history.map { ", on \(grouped($0.rows)) warehouse rows over \($0.days) days" } ?? "")
        var figures = BenchFigures(
            "\(label) at \(grouped(Int(rate.rounded()))) events/s in batches of \(batchSize) (ETL --interval \(interval) s)\(watched)")
        let warehouseArguments = mysqlWarehouse.map { ["--warehouse", $0] } ?? []
        if let history, !historyIsWritten {
            let warehouse = try openWarehouse()
            try await warehouse.migrate()
            let now = WallClock.system.now
            try await ReadScenario.writeHistory(
                into: warehouse.database, rows: history.rows, days: history.days, endingAt: now - now % ReadScenario.hour)
            try await warehouse.close()
        }
        let (server, port) = try await ChildProcess.startServer(["--data-dir", directory, "--interval", String(interval)] + warehouseArguments)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let warehouse = try openWarehouse()
        let dashboards = viewers > 0 ? DashboardViewers(count: viewers, port: port) : nil
        if dashboards != nil {
            // Every stream open (each gets `retry:` first), and the default view's job board read
            // (the server starts reading it as the first dashboard opens), before the load starts:
            // the figures below are those of a server that has been running; the wait is reported.
            let opened = ContinuousClock.now
            try await Task.sleep(for: .seconds(1))
            try await Self.askDefaultViewJobs(port: port)
            figures.add("the default view's job panel first answered, after the dashboards opened", (ContinuousClock.now - opened).inSeconds * 1000, "ms")
        }
        let cpuBefore = cpuSeconds(of: server.processIdentifier)
        let benchCPUBefore = cpuSeconds(of: getpid())
        let serverHealthBefore = try await ServerRequestDurations.read(route: "/healthz", port: port)
        let health = HealthProbe(port: port)

        let batches = max(1, Int(rate * seconds) / batchSize)
        let bodies = Self.bodies(count: batches, size: batchSize)
        let url = URL(string: "http://127.0.0.1:\(port)/v1/events")!
        let period = Duration.seconds(Double(batchSize) / rate)
        let clock = ContinuousClock()
        let start = clock.now
        let accepted = AcceptedLog()

        // The watcher polls the warehouse while this task sends the load; it is awaited below.
        let watcher = Task { () -> [Double] in
            var latencies: [Double] = []
            var next = 0
            while next < batches {
                let total = try await warehouse.state(source: "sqlite")?.eventsTotal ?? 0
                let now = clock.now
                for (cumulative, answeredAt) in accepted.since(next) where total >= cumulative {
                    latencies.append((now - answeredAt).inSeconds)
                    next += 1
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            return latencies
        }
        var cumulative: Int64 = 0
        for (index, body) in bodies.enumerated() {
            try? await Task.sleep(until: start + period * index, clock: .continuous)
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body.data
            let (_, response) = try await URLSession.shared.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchError("POST /v1/events failed: \(response)") }
            cumulative += Int64(body.accepted)
            accepted.append(cumulative: cumulative, at: clock.now)
        }
        let sent = (clock.now - start).inSeconds
        let cpuDuring = cpuSeconds(of: server.processIdentifier).flatMap { after in cpuBefore.map { (after - $0) / sent } }
        let benchCPUDuring = cpuSeconds(of: getpid()).flatMap { after in benchCPUBefore.map { (after - $0) / sent } }
        let healthLatencies = await health.stop()
        let serverHealth = try await ServerRequestDurations.read(route: "/healthz", port: port).since(serverHealthBefore)
        let latencies = try await withThrowingTaskGroup(of: [Double]?.self) { group in
            group.addTask { try await watcher.value }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            watcher.cancel()
            return first
        }
        guard let latencies else { throw BenchError("events were still not visible 60 s after the last batch") }
        let sorted = latencies.sorted()
        figures.add("achieved ingestion rate", Double(cumulative) / sent, "events/s")
        figures.add("p50", percentile(sorted, 50) * 1000, "ms")
        figures.add("p95", percentile(sorted, 95) * 1000, "ms")
        figures.add("p99", percentile(sorted, 99) * 1000, "ms")
        figures.add("max", (sorted.last ?? .nan) * 1000, "ms")
        figures.add("/healthz during the load, p50", percentile(healthLatencies, 50) * 1000, "ms")
        figures.add("/healthz during the load, p99", percentile(healthLatencies, 99) * 1000, "ms")
        figures.add("/healthz during the load, max", (healthLatencies.last ?? .nan) * 1000, "ms")
        figures.add("/healthz on the server, within 5 ms", (serverHealth.share(within: 0.005) ?? .nan) * 100, "%")
        figures.add("/healthz on the server, p99 at most", (serverHealth.bound(ofPercentile: 99) ?? .nan) * 1000, "ms")
        if let dashboards {
            await dashboards.close()
            let arrivals = dashboards.received
            let delays = arrivals.map(\.delay).sorted()
            figures.add("commits announced to each dashboard", Double(arrivals.count) / Double(viewers), "")
            figures.add("refreshes, all dashboards", Double(arrivals.filter(\.withFigures).count) / sent, "/s")
            figures.add("commits that came without figures", Double(arrivals.filter { !$0.withFigures }.count), "")
            figures.add("from commit to dashboard, p50", percentile(delays, 50) * 1000, "ms")
            figures.add("from commit to dashboard, p99", percentile(delays, 99) * 1000, "ms")
            figures.add("from commit to dashboard, max", (delays.last ?? .nan) * 1000, "ms")
            figures.add("figures per commit", Double(arrivals.map(\.bytes).max() ?? 0) / 1024, "KiB")
        }
        if let cpuDuring { figures.add("server CPU during the load", cpuDuring * 100, "% of a core") }
        // The load's clients share the machine with the server; what they take is not the server's to use.
        if let benchCPUDuring { figures.add("the bench's own CPU during the load (its clients)", benchCPUDuring * 100, "% of a core") }
        return figures
    }

    /// Asks for the default view's top jobs (the last 24 hours to the next hour), which the server
    /// answers once that range's job board is read.
    static func askDefaultViewJobs(port: Int) async throws {
        let hour: Int64 = 3_600_000
        let to = (WallClock.system.now / hour + 1) * hour
        let url = URL(string: "http://127.0.0.1:\(port)/api/top-jobs?from=\(to - 24 * hour)&to=\(to)")!
        let (_, response) = try await URLSession.shared.data(from: url)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchError("GET /api/top-jobs failed: \(response)") }
    }

    /// The warehouse the server writes to, opened here to fill it and to watch its `etl_state`.
    private func openWarehouse() throws -> SQLWarehouse {
        SQLWarehouse(database: try benchDatabase(sqlitePath: directory + "/warehouse.db", mysql: mysqlWarehouse))
    }

    /// Request bodies prepared before the clock starts, and how many events each will have accepted.
    static func bodies(count: Int, size: Int) -> [(data: Data, accepted: Int)] {
        var generator = TrafficGenerator(seed: 99)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return (0..<count).map { _ in
            var accepted = 0
            let events = (0..<size).map { _ -> String in
                let fields = generator.nextRow(arrivingAt: now)
                if case .success = EventTime.parse(fields[TrackingField.ts.index].isEmpty ? nil : fields[TrackingField.ts.index]) { accepted += 1 }
                let members = zip(TrackingField.columnNames, fields).filter { !$0.1.isEmpty }.map { "\(JSONText.quoted($0.0)):\(JSONText.quoted($0.1))" }
                return "{" + members.joined(separator: ",") + "}"
            }
            return (Data(("[" + events.joined(separator: ",") + "]").utf8), accepted)
        }
    }
}

/// The cumulative accepted count after each answered batch, and when it was answered.
final class AcceptedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Int64, ContinuousClock.Instant)] = []

    func append(cumulative: Int64, at instant: ContinuousClock.Instant) { lock.withLock { entries.append((cumulative, instant)) } }

    func since(_ index: Int) -> [(Int64, ContinuousClock.Instant)] {
        lock.withLock { index < entries.count ? Array(entries[index...]) : [] }
    }
}
