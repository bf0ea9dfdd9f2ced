import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseClock
import JobPulseCore
import JobPulseLake
import JobPulseServer
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// Time-dependent behaviour, tested by moving one injected clock instead of sleeping: a lease's
/// expiry, the dashboard's data age, admission's tolerance of the future (the intake key's window:
/// IntakeKeyTests).
@Suite struct ClockSeamTests {
    static let t0: Int64 = 1_764_410_400_000  // 2025-11-29T10:00:00Z

    @Test func aLeaseExpiresWhenTheWarehouseClockSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let time = ManualWallClock(Self.t0)
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory.file("warehouse.db")), clock: time.wallClock)
        try await warehouse.migrate()
        _ = try await warehouse.acquireLease(source: "sqlite", lakeIdentity: "lake", owner: "a", ttlMilliseconds: 15_000)
        time.advance(seconds: 15)
        await #expect(throws: WarehouseError.self, "held up to its expiry instant") {
            try await warehouse.acquireLease(source: "sqlite", lakeIdentity: "lake", owner: "b", ttlMilliseconds: 15_000)
        }
        time.advance(milliseconds: 1)
        let taken = try await warehouse.acquireLease(source: "sqlite", lakeIdentity: "lake", owner: "b", ttlMilliseconds: 15_000)
        #expect(taken.leaseOwner == "b" && taken.leaseExpiresAt == Self.t0 + 15_001 + 15_000)
        try await warehouse.close()
    }

    @Test func theDataAgeIsTheServersClockMinusTheNewestEvent() async throws {
        let store = try await TestStore()
        let time = ManualWallClock(Self.t0)
        var event = RawEvent()
        event[.ts] = Timestamp.sql(Self.t0 - 90_000)
        event[.customTrack] = "click"
        event[.jobID] = "5"
        try await store.lake.write([event], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        let server = JobPulseServer(
            configuration: ServerConfiguration(), lake: store.lake, warehouse: store.warehouse, pipeline: nil,
            clock: time.wallClock)
        try await Application(router: try server.makeRouter()).test(.router) { client in
            for expected in [90.0, 3_690.0] {
                try await client.execute(uri: "/api/summary", method: .get) { response in
                    let summary = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                    let freshness = try #require(summary["freshness"] as? [String: Any])
                    #expect(freshness["data_age_seconds"] as? Double == expected)
                }
                time.advance(seconds: 3_600)
            }
        }
    }

    @Test func admissionMeasuresTheFutureFromItsClock() {
        let time = ManualWallClock(Self.t0)
        var batch = IntakeBatch(origin: "test", futureTolerance: 3_600_000, clock: time.wallClock)
        var event = RawEvent()
        event[.ts] = Timestamp.sql(Self.t0 + 3_600_000 + 1_000)
        batch.admit(event, location: 0, raw: { "ahead" })
        time.advance(seconds: 2)
        batch.admit(event, location: 1, raw: { "ahead" })
        #expect(batch.count == IntakeCount(accepted: 1, rejected: 1))
        #expect(batch.rejections.first?.location == 0)
    }
}
