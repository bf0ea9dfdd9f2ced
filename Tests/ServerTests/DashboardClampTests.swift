import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseCore
import JobPulseLake
import JobPulseServer
import JobPulseTestSupport
import Testing

/// What the dashboard shows when the warehouse holds an event from the far future, on every
/// warehouse built.
@Suite(.mariaDBWhenBuilt) struct DashboardClampTests {
    /// One event dated 9999-12-31 (admission refuses such an event now; a lake written before
    /// that rule, or by other means, may hold one) neither becomes the gauges' day nor makes the
    /// data age negative.
    @Test(arguments: Backend.allCases)
    func eventsInTheFutureDoNotMoveTheGaugeDayOrTheDataAge(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        let server = JobPulseServer(configuration: ServerConfiguration(), lake: store.lake, warehouse: store.warehouse, pipeline: nil)
        try await Application(router: try server.makeRouter()).test(.router) { client in
            let yesterday = TestClock.now - 86_400_000
            let events = [(Timestamp.sql(yesterday), "qualified"), ("9999-12-31 23:00:00", "unqualified")].map { ts, kind in
                var event = RawEvent()
                event[.ts] = ts
                event[.customTrack] = kind
                event[.jobID] = "5"
                return event
            }
            try await store.lake.write(events, rejections: [])
            _ = try await store.pipeline().runUntilCaughtUp()
            try await client.execute(uri: "/api/summary", method: .get) { response in
                let summary = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let gauges = try #require(summary["gauges"] as? [String: Any])
                #expect(gauges["day"] as? String == String(Timestamp.sql(yesterday).prefix(10)))
                #expect(gauges["qualified_share"] as? Double == 1.0)
                let freshness = try #require(summary["freshness"] as? [String: Any])
                #expect(freshness["newest_event_at"] as? String == "9999-12-31T23:00:00.000Z")
                #expect(freshness["data_age_seconds"] as? Double == 0)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                let health = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect((health["etl"] as? [String: Any])?["data_age_seconds"] as? Double == 0)
            }
        }
    }
}
