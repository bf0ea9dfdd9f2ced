import Foundation
import JobPulseCore
import JobPulseTestSupport
import Testing

/// The attacks that once stopped JobPulse, replayed against real processes: each must end in a
/// clear answer while the server, the ETL and the import keep going.
@Suite(.serialized) struct HostileInputProcessTests {
    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    /// An `ed` object whose one member nests `depth` arrays: the shape the rules must read into.
    static func deepDetails(_ depth: Int) -> String { "{\"customEvent\":\"click\",\"x\":" + nested(depth) + "}" }

    func waitForPosition(_ server: ServerProcess, events: Int) async throws -> [String: Any] {
        var health: [String: Any] = [:]
        let reached = try await poll {
            health = try await JSONSerialization.jsonObject(with: server.get("/healthz").body) as? [String: Any] ?? [:]
            return (health["etl"] as? [String: Any])?["position"] as? String == String(events)
        }
        guard reached else { throw TestFailure("the ETL did not reach position \(events) within \(patience):\n\(server.log)") }
        return health
    }

    /// 150,000 nested brackets as a body (300 KB, under the body limit) once ended the server
    /// with SIGSEGV; now it is a 400 and the server goes on collecting.
    @Test func deeplyNestedBodiesAreRefusedAndTheServerLives() async throws {
        let directory = try TemporaryDirectory()
        let server = try await ServerProcess(arguments: ["--data-dir", directory.path, "--interval", "0.2"], logPath: directory.file("serve.log"))
        let array = try await server.post("/v1/events", json: Self.nested(150_000))
        #expect(array.status == 400, "\(array.body)")
        #expect(array.body.contains("nest"), "the reason names the nesting: \(array.body)")
        let member = try await server.post("/v1/events", json: "[{\"ts\":\"2026-11-30 10:00:00\",\"ed\":\(Self.nested(150_000))}]")
        #expect(member.status == 400, "\(member.body)")
        let lines =
            "{\"ts\":\"2026-11-30 10:00:00\",\"ed\":\(Self.nested(150_000))}\n"
            + "{\"ts\":\"2026-11-30 10:00:00\",\"custom_track\":\"click\",\"job_id\":\"7\"}\n"
        let ndjson = try await server.post("/v1/events", json: lines, contentType: "application/x-ndjson")
        #expect(ndjson.status == 200, "in NDJSON a too deep line costs that line, not the request")
        #expect(ndjson.body.contains("\"accepted\":1") && ndjson.body.contains("\"rejected\":1"), "\(ndjson.body)")
        _ = try await waitForPosition(server, events: 1)
        let health = try await server.get("/healthz")
        #expect(health.status == 200, "the server still answers")
        #expect(await server.stop() == 0)
    }

    /// An `ed` *string* holding an object of 170,000 nested brackets is accepted (the event has a good `ts`), and
    /// the ETL, which once crashed on it at every restart, reads it as absent and commits.
    @Test func anUnreadableEdNeverStopsTheETL() async throws {
        let directory = try TemporaryDirectory()
        let server = try await ServerProcess(arguments: ["--data-dir", directory.path, "--interval", "0.2"], logPath: directory.file("serve.log"))
        let escaped = Self.deepDetails(170_000).replacingOccurrences(of: "\"", with: "\\\"")
        let body =
            "[{\"ts\":\"2026-11-30 10:00:00\",\"ed\":\"\(escaped)\"},"
            + "{\"ts\":\"2026-11-30 10:00:01\",\"custom_track\":\"click\",\"job_id\":\"7\",\"ed\":\"\(escaped)\"}]"
        let posted = try await server.post("/v1/events", json: body)
        #expect(posted.status == 200 && posted.body.contains("\"accepted\":2"), "\(posted.body)")
        let health = try await waitForPosition(server, events: 2)
        #expect((health["etl"] as? [String: Any])?["lag_events"] as? Int == 0)
        let summary = try await server.getJSON("/api/summary")
        #expect((summary["totals"] as? [String: Any])?["clicks"] as? Int == 1, "an unreadable ed tells nothing, so the first event is other")
        #expect(await server.stop() == 0)
    }

    /// The same `ed` in a 0.7 MB CSV row, through `import` and `etl --once`, which once exited
    /// 139 every time.
    @Test func aHugeCSVRowImportsAndCommits() async throws {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        var row = Array(repeating: "", count: TrackingField.count)
        row[TrackingField.ts.index] = "2026-11-30 10:00:00"
        row[TrackingField.jobID.index] = "12"
        row[TrackingField.ed.index] = Self.deepDetails(340_000)
        let csv = directory.file("tracking.csv")
        try ([TrackingField.columnNames, row].map(CSVWriter.line).joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await runJobPulse(["import", csv] + data)
        #expect(imported.status == 0, "\(imported.output)")
        let etl = try await runJobPulse(["etl", "--once"] + data)
        #expect(etl.status == 0, "\(etl.output)")
        #expect(etl.output.contains("1 events = 0 funnel + 1 other"), "an unreadable ed tells nothing: \(etl.output)")
    }

    /// A storage URL that does not parse is named in the error without its password, by every
    /// command that takes one.
    @Test(arguments: [
        "mysql://jp:Secret@127.0.0.1:notaport/jp",
        "mysql://jp:Secret@[::1/jp",
        "cassandra://cassandra:Secret@db1:99999/jobpulse",
        "mysql//jp:Secret@127.0.0.1/jp",
        "jp:Secret@127.0.0.1:3306/jp",
    ])
    func unparsableURLsNeverShowThePassword(url: String) async throws {
        let directory = try TemporaryDirectory()
        for command in [
            ["status", "--warehouse", url], ["etl", "--once", "--warehouse", url], ["status", "--lake", url],
            ["serve", "--port", "0", "--lake", url],
        ] {
            let run = try await runJobPulse(command + ["--data-dir", directory.path])
            #expect(run.status != 0, "\(command) with \(url)")
            #expect(!run.output.contains("Secret"), "\(command) printed the password: \(run.output)")
        }
    }
}
