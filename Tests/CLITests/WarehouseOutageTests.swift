import Foundation
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

#if MySQL
import MariaDBTestSupport
#endif

/// `jobpulse serve` started while its warehouse cannot be opened: a collector replica
/// (`--no-etl`) and a server with its ETL both start, take events into the lake and report the
/// warehouse unhealthy (503, no password in the text); once the warehouse is back, without a
/// restart, the ETL commits exactly the events that were posted.
@Suite(.serialized) struct WarehouseOutageTests {
    /// Four clicks and two qualified applications over two jobs, per post.
    static let events = """
        [{"ts":"2026-11-27 10:05:00","custom_track":"click","job_id":"501","publisher_id":"1","bid":"0.50"},
         {"ts":"2026-11-27 10:30:00","custom_track":"click","job_id":"501","publisher_id":"1","bid":"1.50"},
         {"ts":"2026-11-27 11:00:00","custom_track":"click","job_id":"502","publisher_id":"2","bid":"2.00"},
         {"ts":"2026-11-27 11:20:00","custom_track":"click","job_id":"502","publisher_id":"2"},
         {"ts":"2026-11-28 09:00:00","custom_track":"qualified","job_id":"502"},
         {"ts":"2026-11-28 09:10:00","custom_track":"qualified","job_id":"501"}]
        """

    /// The scenario on any warehouse: `warehouse` is unreachable until `restore` runs.
    func collectorsKeepCollecting(
        warehouse: String, secret: String?, restore: () async throws -> Void,
        readBack: (String) async throws -> SQLWarehouse
    ) async throws {
        let directory = try TemporaryDirectory()
        let common = ["--data-dir", directory.path, "--warehouse", warehouse, "--interval", "0.2", "--log-level", "warning"]
        let withETL = try await ServerProcess(arguments: common, logPath: directory.file("serve.log"))
        let replica = try await ServerProcess(arguments: common + ["--no-etl"], logPath: directory.file("replica.log"))

        for server in [withETL, replica] {
            let posted = try await server.post("/v1/events", json: Self.events)
            #expect(posted.status == 200, "\(posted.body)")
            #expect(try IntakeAnswer(posted.body) == IntakeAnswer(received: 6, accepted: 6, rejected: 0, errors: []))
            let health = try await server.get("/healthz")
            let text = String(decoding: health.body, as: UTF8.self)
            let answer = jsonObject(text)
            if server === replica {
                #expect(health.status == 200, "a collector needs only the lake, so its load balancer keeps it: \(text)")
                #expect(answer["status"] as? String == "degraded", "\(text)")
            } else {
                #expect(health.status == 503, "an ETL cannot work without its warehouse")
            }
            let warehouseHealth = answer.member("warehouse")
            #expect(warehouseHealth["ok"] as? Bool == false, "\(text)")
            #expect((warehouseHealth["error"] as? String)?.hasPrefix("warehouse unavailable: ") == true, "\(text)")
            if let secret { #expect(!text.contains(secret), "the password never shows") }
            let summary = try await server.get("/api/summary")
            #expect(summary.status == 503)
            #expect(String(decoding: summary.body, as: UTF8.self).hasPrefix(#"{"error":{"message":"warehouse unavailable: "#))
        }
        let lake = try SQLiteLake(path: directory.file("lake.db"))
        #expect(try await lake.count(after: nil) == 12, "both collectors wrote into the lake during the outage")

        try await restore()
        var clicks: Int?
        _ = try await poll(every: .milliseconds(100)) {
            clicks = (try? await withETL.getJSON("/api/summary"))?["totals"].flatMap { ($0 as? [String: Any])?["clicks"] as? Int }
            return clicks == 8
        }
        #expect(clicks == 8, "the ETL caught up by itself:\n\(withETL.log)")
        var replicaStatus: String?
        _ = try await poll {
            replicaStatus = jsonObject(String(decoding: try await replica.get("/healthz").body, as: UTF8.self))["status"] as? String
            return replicaStatus == "ok"
        }
        #expect(replicaStatus == "ok", "the replica sees the warehouse again within its retry interval")
        let opened = try await readBack(warehouse)
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: opened)
        #expect(try await opened.factCount() == 4, "one row per job, hour and publisher")
        try await opened.close()
        if let secret { #expect(!withETL.log.contains(secret) && !replica.log.contains(secret), "nor in the logs") }
        #expect(await replica.stop() == 0)
        #expect(await withETL.stop() == 0)
    }

    /// SQLite: the warehouse's folder is a plain file at first, so the database cannot be
    /// created; removing that file makes it openable.
    @Test func collectorsKeepCollectingWhileTheSQLiteWarehouseCannotBeOpened() async throws {
        let blocked = try TemporaryDirectory()
        let blocker = blocked.file("warehouse-folder")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("not a folder".utf8)))
        let path = blocker + "/warehouse.db"
        try await collectorsKeepCollecting(
            warehouse: "sqlite://" + path, secret: nil,
            restore: {
                try FileManager.default.removeItem(atPath: blocker)
            }, readBack: { _ in SQLWarehouse(database: try SQLiteDatabase(path: path)) })
    }

    #if MySQL
    /// MariaDB: the server is down when both start (its user has a password that must never
    /// show), and is started again on the same data.
    @Test func collectorsKeepCollectingWhileMariaDBIsDown() async throws {
        try await withPrivateServer { server in
            let secret = "Pw-\(UUID().uuidString.prefix(12))"
            try await server.runAsRoot("CREATE USER 'collector'@'127.0.0.1' IDENTIFIED BY '\(secret)'; GRANT ALL ON wh.* TO 'collector'@'127.0.0.1';")
            await server.crash()
            let url = "mysql://collector:\(secret)@127.0.0.1:\(server.port)/wh?ssl=disabled"
            try await collectorsKeepCollecting(
                warehouse: url, secret: secret,
                restore: {
                    try await server.start()
                }, readBack: { url in SQLWarehouse(database: try MySQLDatabase(url: url)) })
        }
    }
    #endif
}
