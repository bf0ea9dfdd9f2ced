import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseCore
import JobPulseLake
import JobPulseServer
import JobPulseTestSupport
import Testing

/// Every answer of the collector and the guarded routes, and what the lake holds afterwards.
@Suite struct CollectorHTTPTests {
    func withServer(
        _ configuration: ServerConfiguration = ServerConfiguration(),
        _ body: @escaping @Sendable (any TestClientProtocol, TestStore) async throws -> Void
    ) async throws {
        let store = try await TestStore()
        let server = JobPulseServer(
            configuration: configuration, lake: store.lake, warehouse: store.warehouse,
            pipeline: store.pipeline())
        let app = Application(router: try server.makeRouter())
        try await app.test(.router) { client in try await body(client, store) }
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    func lakeEvents(_ store: TestStore) async throws -> [RawEvent] {
        try await store.lake.read(after: nil, limit: 1000).map(\.event)
    }

    @Test func validEventsAreStoredBeforeTheAnswer() async throws {
        try await withServer { client, store in
            let body =
                #"[{"ts":"2026-11-29 10:00:00","custom_track":"click","job_id":"7","bid":0.5},{"ts":1764410400000,"ed":{"customEvent":"qualified","jobId":"7"},"campaign":"x"}]"#
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let answer = try IntakeAnswer(String(buffer: response.body))
                #expect(answer == IntakeAnswer(received: 2, accepted: 2, rejected: 0, errors: []))
            }
            let events = try await lakeEvents(store)
            #expect(events.count == 2)
            #expect(events[0][.bid] == "0.5")
            #expect(events[1][.ed] == #"{"customEvent":"qualified","jobId":"7"}"#)
            #expect(events[1].extra == ["campaign": "x"])
        }
    }

    @Test func partlyValidBodiesReportEachRejectedRow() async throws {
        try await withServer { client, store in
            let body = #"[{"ts":"2026-11-29 10:00:00","custom_track":"click"},{"custom_track":"click"},7,{"ts":"soon"}]"#
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let answer = try IntakeAnswer(String(buffer: response.body))
                #expect(answer.received == 4 && answer.accepted == 1 && answer.rejected == 3)
                #expect(answer.errors.map(\.index) == [1, 2, 3])
                #expect(answer.errors.first?.reason == "ts is missing")
                #expect(answer.errors.last?.reason.hasPrefix(#"ts "soon" is not a date-time"#) == true)
            }
            #expect(try await lakeEvents(store).count == 1)
            #expect(try await store.lake.quarantine(limit: 10).total == 3)
        }
    }

    @Test func ndjsonIsReadLineByLine() async throws {
        try await withServer { client, store in
            let body = "{\"ts\":\"2026-11-29 10:00:00\",\"custom_track\":\"click\"}\n\n{not json}\n{\"ts\":\"2026-11-29T10:00:00Z\"}\n"
            try await client.execute(
                uri: "/v1/events", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let answer = try IntakeAnswer(String(buffer: response.body))
                #expect(answer.received == 3 && answer.accepted == 2 && answer.rejected == 1 && answer.errors.map(\.index) == [1])
            }
            #expect(try await lakeEvents(store).count == 2)
        }
    }

    @Test func unreadableBodiesAre400AndStoreNothing() async throws {
        try await withServer { client, store in
            for body in [#"[{"ts":"2026-11-29 10:00:00"}"#, "", "{\"ts\":1}", "[1,]"] {
                try await client.execute(uri: "/v1/events", method: .post, headers: Self.json, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(String(buffer: response.body).contains("not readable JSON"))
                }
            }
            #expect(try await lakeEvents(store).isEmpty)
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await withServer(ServerConfiguration(maxBodyBytes: 1024)) { client, store in
            let event = #"{"ts":"2026-11-29 10:00:00","custom_track":"click"}"#
            let body = "[" + Array(repeating: event, count: 40).joined(separator: ",") + "]"
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .contentTooLarge)
            }
            #expect(try await lakeEvents(store).isEmpty)
        }
    }

    @Test func otherContentTypesAre415() async throws {
        try await withServer { client, store in
            try await client.execute(
                uri: "/v1/events", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(string: "ts\n2026-11-29 10:00:00")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            #expect(try await lakeEvents(store).isEmpty)
        }
    }

    @Test func apiKeysGuardIngestion() async throws {
        try await withServer(ServerConfiguration(apiKeys: ["k-1", "k-2"])) { client, store in
            let body = ByteBuffer(string: #"[{"ts":"2026-11-29 10:00:00"}]"#)
            for headers: HTTPFields in [Self.json, [.contentType: "application/json", .authorization: "Bearer wrong"]] {
                try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/t/click?job_id=1", method: .get) { response in #expect(response.status == .unauthorized) }
            #expect(try await lakeEvents(store).isEmpty)
            try await client.execute(
                uri: "/v1/events", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer k-2"], body: body
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/t/click?job_id=1&api_key=k-1", method: .get) { response in #expect(response.status == .ok) }
            #expect(try await lakeEvents(store).count == 2)
        }
    }

    @Test func pixelRecordsAndRedirectsOnlyToAllowedHosts() async throws {
        try await withServer(ServerConfiguration(redirectHosts: ["careers.example.com"])) { client, store in
            try await client.execute(
                uri: "/t/click?job_id=191&publisher_id=3&campaign_id=4&group_id=5&bid=0.75", method: .get,
                headers: [.userAgent: "Mozilla/5.0 (X11; Linux)"]
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/gif")
                #expect(response.body.readableBytes == 43)
            }
            try await client.execute(uri: "/t/conversion?job_id=191&redirect=https%3A%2F%2Fcareers.example.com%2Fapply%2F191", method: .get) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "https://careers.example.com/apply/191")
            }
            try await client.execute(uri: "/t/click?job_id=191&redirect=https%3A%2F%2Fevil.example.net%2F", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            let events = try await lakeEvents(store)
            #expect(events.count == 2)
            #expect(events[0][.customTrack] == "click")
            #expect(events[0][.jobID] == "191")
            #expect(events[0][.bid] == "0.75")
            #expect(events[0][.ua] == "Mozilla/5.0 (X11; Linux)")
            #expect(Admission().check(events[0], now: TestClock.now) == nil)
            #expect(events[1][.customTrack] == "conversion")
        }
    }

    @Test func queriesReadAPlusAsASpaceAsFormsAndClientsSendIt() async throws {
        try await withServer { client, store in
            let ts = Timestamp.sql(TestClock.now - 3_600_000).prefix(19)
            let plussed = ts.replacingOccurrences(of: " ", with: "+").replacingOccurrences(of: ":", with: "%3A")
            try await client.execute(uri: "/t/click?job_id=7&ts=\(plussed)&ua=Mozilla/5.0+(X11)&dl=a%2Bb", method: .get) { response in
                #expect(response.status == .ok)
            }
            let events = try await lakeEvents(store)
            #expect(events.first?[.ts] == String(ts))
            #expect(events.first?[.ua] == "Mozilla/5.0 (X11)")
            #expect(events.first?[.dl] == "a+b", "an escaped plus stays a plus")
            try await client.execute(uri: "/api/summary?from=\(plussed)&to=\(plussed)", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func dashboardLoginGuardsPageAndAPIButNotIngestion() async throws {
        let configuration = ServerConfiguration(dashboardCredentials: (user: "ana", password: "s3cret"))
        try await withServer(configuration) { client, _ in
            for uri in ["/", "/api/summary"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .unauthorized) }
                let wrong = "Basic " + Data("ana:nope".utf8).base64EncodedString()
                try await client.execute(uri: uri, method: .get, headers: [.authorization: wrong]) { response in
                    #expect(response.status == .unauthorized)
                }
                let right = "Basic " + Data("ana:s3cret".utf8).base64EncodedString()
                try await client.execute(uri: uri, method: .get, headers: [.authorization: right]) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.json, body: ByteBuffer(string: "[]")) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func badFiltersAre400() async throws {
        try await withServer { client, _ in
            for uri in [
                "/api/summary?from=yesterday", "/api/hourly?publisher_id=-1", "/api/top-jobs?limit=0",
                "/api/summary?from=2026-11-29T10:00:00Z&to=2026-11-28T10:00:00Z",
            ] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .badRequest, "\(uri)") }
            }
        }
    }

    /// Every integer parameter is read strictly: however long or odd the value, 400 with the
    /// parameter, its range and the value (cut short); never a silent default.
    @Test(arguments: [
        ("/api/top-jobs?limit=99999999999999999999", "limit must be an integer from 1 to 1000; got \"99999999999999999999\""),
        ("/api/top-jobs?limit=1000000000", "limit must be an integer from 1 to 1000; got \"1000000000\""),
        ("/api/top-jobs?limit=-5", "limit must be an integer from 1 to 1000"),
        ("/api/top-jobs?limit=%2B5", "limit must be an integer from 1 to 1000; got \"+5\""),
        ("/api/top-jobs?limit=%205", "limit must be an integer from 1 to 1000"),
        ("/api/top-jobs?limit=5.0", "limit must be an integer from 1 to 1000"),
        ("/api/top-jobs?limit=0x10", "limit must be an integer from 1 to 1000"),
        ("/api/top-jobs?limit=" + String(repeating: "9", count: 5000), "(5000 bytes)"),
        ("/api/summary?publisher_id=2147483648", "publisher_id must be an integer from 0 to 2147483647; got \"2147483648\""),
        ("/api/hourly?campaign_id=-1", "campaign_id must be an integer from 0 to 2147483647; got \"-1\""),
        ("/api/publishers?campaign_id=" + String(repeating: "1", count: 300), "campaign_id must be an integer from 0 to 2147483647; got \"1111"),
        ("/api/top-jobs?publisher_id=7&campaign_id=abc", "campaign_id must be an integer"),
        ("/api/summary?from=99999999999999999999", "from: \"99999999999999999999\" is outside 1970-01-01 to 9999-12-31"),
    ])
    func integerParametersAreStrict(uri: String, message: String) async throws {
        try await withServer { client, _ in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let body = String(buffer: response.body)
                #expect(body.contains(message.replacingOccurrences(of: "\"", with: "\\\"")), "\(body)")
                #expect(body.utf8.count < 300, "the value is cut short in the answer")
            }
        }
    }

    @Test func integerParametersInRangeAreUsed() async throws {
        try await withServer { client, _ in
            for uri in [
                "/api/top-jobs?limit=1", "/api/top-jobs?limit=1000", "/api/top-jobs?limit=", "/api/summary?publisher_id=0",
                "/api/summary?campaign_id=2147483647", "/api/summary?from=0&to=253402300799999",
            ] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .ok, "\(uri)") }
            }
        }
    }

    /// The shapes that sent browsers elsewhere are 400, and store nothing.
    @Test func redirectsRefuseEveryTrickyShape() async throws {
        try await withServer(ServerConfiguration(redirectHosts: ["example.com"])) { client, store in
            for target in [
                "https://evil.com%5C@example.com/", "https://example.com.evil.com/", "//example.com", "https://example.com@evil.com",
                "javascript:alert(1)", "https://example.com%09/", "https://example.com/%0A", "https://example.com:99999/",
            ] {
                try await client.execute(uri: "/t/click?job_id=1&redirect=" + target, method: .get) { response in
                    #expect(response.status == .badRequest, "\(target)")
                    #expect(response.headers[.location] == nil)
                }
            }
            try await client.execute(uri: "/t/click?job_id=1&redirect=https://EXAMPLE.com:8443/apply", method: .get) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "https://EXAMPLE.com:8443/apply")
            }
            #expect(try await lakeEvents(store).count == 1)
        }
    }

    @Test func healthAndMetricsAnswer() async throws {
        try await withServer { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let answer = jsonObject(String(buffer: response.body))
                #expect(answer["status"] as? String == "ok")
                #expect(answer.member("lake").keys.sorted() == ["kind", "ok"], "no count of the whole lake")
                #expect(
                    answer.member("etl")["lag_events"] as? Int == 0 && answer.member("etl")["lag_is_lower_bound"] as? Bool == false,
                    "an SQLite lake's lag is exact")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }
}
