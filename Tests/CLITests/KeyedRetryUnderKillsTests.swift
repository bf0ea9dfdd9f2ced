import CassandraStandIn
import Foundation
import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import NIOConcurrencyHelpers
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Real `jobpulse serve` processes killed with SIGKILL at random moments under concurrent load,
/// while clients send batches, each under its own `Idempotency-Key`, and send every batch that
/// got no answer again, to whichever server runs then, until it is answered. Afterwards the lake
/// must hold every event exactly once: without keys, a batch stored but not answered before the
/// kill would be stored twice by its retry.
@Suite(.serialized, .timeLimit(.minutes(10))) struct KeyedRetryUnderKillsTests {
    static let clients = 6
    /// Each client sends at least this many batches, and goes on until the last kill is over.
    static let minimumBatchesPerClient = 5
    static let eventsPerBatch = 20

    @Test func sqliteLakeHoldsEveryEventOnceAcrossKills() async throws {
        let directory = try TemporaryDirectory()
        let servers = try await ServerRelay(arguments: ["--data-dir", directory.path, "--no-etl"], directory: directory)
        let sent = try await Self.sendUnderKills(servers, kills: 8)
        await servers.stop()
        let lake = try SQLiteLake(path: directory.file("lake.db"))
        try await Self.expectExactlyOnce(lake, sent: sent)
    }

    /// On Cassandra the failure that matters is a write that stops part-way (its batches are
    /// partitions with no transaction between them): besides the kills, the node drops
    /// connections around row batches, sometimes after applying them. Claims are leased for a
    /// second and taken over after two, so that the retries of interrupted batches complete
    /// within the test.
    @Test func cassandraLakeHoldsEveryEventOnceAcrossKillsAndInterruptedWrites() async throws {
        let cluster = try await StandInCluster.start()
        let directory = try TemporaryDirectory()
        let lakeURL = cluster.url("safety_lag_seconds=0&claim_lease_seconds=1&claim_takeover_seconds=2")
        let servers = try await ServerRelay(
            arguments: ["--lake", lakeURL, "--warehouse", "sqlite://" + directory.file("warehouse.db"), "--no-etl"], directory: directory)
        let faults = Task {
            for round in 0..<12 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...450)))
                cluster.node.failNext(
                    .batch, with: round.isMultiple(of: 2) ? .dropConnection : .dropConnectionAfterRunning,
                    skipping: Int.random(in: 0...3))
            }
        }
        let sent = try await Self.sendUnderKills(servers, kills: 6)
        faults.cancel()
        await servers.stop()
        let lake = try await CassandraLake.open(CassandraLakeConfiguration(url: try #require(StorageURL(lakeURL))))
        try await Self.expectExactlyOnce(lake, sent: sent)
        let claims = cluster.node.store.rows(of: "jp.intake_keys")
        #expect(claims.count * Self.eventsPerBatch == sent.count, "one key per batch")
        #expect(claims.allSatisfy { $0["done"] == .boolean(true) }, "every key ends done")
        // A claim with a second plan was taken over and had its missing rows written with new ids.
        let completedByRetry = claims.filter { if case .text(let plans)? = $0["plans"] { plans.contains("\"rows\"") } else { false } }
        print("\(completedByRetry.count) interrupted batches completed by a retry with new ingest ids")
        #expect(!completedByRetry.isEmpty, "the dropped connections interrupted writes part-way")
        await lake.close()
        await cluster.stop()
    }

    /// Runs the clients while a killer ends the server `kills` times; returns every event id sent.
    static func sendUnderKills(_ servers: ServerRelay, kills: Int) async throws -> [String] {
        let killing = NIOLockedValueBox(true)
        let killer = Task {
            defer { killing.withLockedValue { $0 = false } }
            for _ in 0..<kills {
                try await Task.sleep(for: .milliseconds(Int.random(in: 200...600)))
                try await servers.killAndRestart()
            }
        }
        let sent = try await withThrowingTaskGroup(of: [String].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var ids: [String] = []
                    var batch = 0
                    while batch < minimumBatchesPerClient || killing.withLockedValue({ $0 }) {
                        defer { batch += 1 }
                        let batchIDs = (0..<eventsPerBatch).map { "c\(client)-b\(batch)-e\($0)" }
                        let body =
                            "["
                            + batchIDs.map { #"{"ts":"2026-11-29 10:00:00","custom_track":"click","job_id":"7","id":"\#($0)"}"# }
                            .joined(separator: ",") + #",{"custom_track":"click"}]"#
                        let answer = try await servers.postUntilAnswered(body, key: "c\(client)-b\(batch)")
                        #expect(
                            try IntakeAnswer(answer)
                                == IntakeAnswer(received: 21, accepted: 20, rejected: 1, errors: [.init(index: 20, reason: "ts is missing")]))
                        ids += batchIDs
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        try await killer.value
        let (retries, replays) = (servers.retries.withLockedValue { $0 }, servers.replays.withLockedValue { $0 })
        #expect(retries > 0, "the kills interrupted requests")
        print("\(sent.count / eventsPerBatch) batches, \(retries) attempts sent again, \(replays) answered as replays")
        return sent
    }

    static func expectExactlyOnce(_ lake: any EventLake, sent: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stored = try await lake.read(after: nil, limit: Int.max).compactMap { $0.event[.id] }
        var counts: [String: Int] = [:]
        for id in stored { counts[id, default: 0] += 1 }
        let twice = counts.filter { $0.value > 1 }
        let missing = sent.filter { counts[$0] == nil }
        #expect(twice.isEmpty, "stored more than once: \(twice.keys.sorted().prefix(10))", sourceLocation: sourceLocation)
        #expect(missing.isEmpty, "never stored: \(missing.prefix(10))", sourceLocation: sourceLocation)
        #expect(stored.count == sent.count, sourceLocation: sourceLocation)
    }
}

/// The one `jobpulse serve` running at a time, killed and started again on request; posts go
/// to whichever is running.
final class ServerRelay: Sendable {
    private let arguments: [String]
    private let directory: TemporaryDirectory
    private let current: NIOLockedValueBox<ServerProcess?>
    private let session: URLSession
    private let starts = NIOLockedValueBox(0)
    /// Requests sent again after one got no answer, and answers marked as replays.
    let retries = NIOLockedValueBox(0)
    let replays = NIOLockedValueBox(0)

    init(arguments: [String], directory: TemporaryDirectory) async throws {
        self.arguments = arguments
        self.directory = directory
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
        current = NIOLockedValueBox(nil)
        let first = try await ServerProcess(arguments: arguments, logPath: directory.file("serve-0.log"))
        current.withLockedValue { $0 = first }
    }

    /// SIGKILL, then a new process on the same lake.
    func killAndRestart() async throws {
        guard
            let server = current.withLockedValue({ server -> ServerProcess? in
                defer { server = nil }
                return server
            })
        else { return }
        kill(server.process.processIdentifier, SIGKILL)
        let process = server.process
        _ = try await offloaded { process.waitUntilExit() }
        let number = starts.withLockedValue {
            $0 += 1
            return $0
        }
        let next = try await ServerProcess(arguments: arguments, logPath: directory.file("serve-\(number).log"))
        current.withLockedValue { $0 = next }
    }

    /// Posts `body` under `key` until a server answers 200; a refused connection, a connection
    /// cut by a kill, a 409 (the first attempt is still being completed) or a 5xx is retried.
    func postUntilAnswered(_ body: String, key: String) async throws -> String {
        for attempt in 0..<600 {
            if attempt > 0 { retries.withLockedValue { $0 += 1 } }
            if let port = current.withLockedValue({ $0?.port }) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/events")!)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
                request.httpBody = Data(body.utf8)
                if let (data, response) = try? await session.data(for: request), let status = (response as? HTTPURLResponse)?.statusCode {
                    if status == 200 {
                        if (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Idempotency-Replayed") == "true" {
                            replays.withLockedValue { $0 += 1 }
                        }
                        return String(decoding: data, as: UTF8.self)
                    }
                    guard status == 409 || status >= 500 else {
                        throw TestFailure("\(key) answered \(status): \(String(decoding: data, as: UTF8.self))")
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(key) was never answered")
    }

    func stop() async {
        if let server = current.withLockedValue({ $0 }) { _ = await server.stop() }
    }
}
