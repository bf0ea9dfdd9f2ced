import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import Testing

/// Keyed writes on the SQLite lake, alone and through the group commit: a key stores its
/// intake once and answers every retry with the first receipt, within the window.
@Suite struct IntakeKeyTests {
    static let t0: Int64 = 1_764_410_400_000

    func lake(_ directory: TemporaryDirectory, clock: ManualWallClock, window: Duration = IntakeKey.defaultWindow) throws -> SQLiteLake {
        try SQLiteLake(path: directory.file("lake.db"), keyWindow: window, clock: clock.wallClock)
    }

    /// Two events (ids `prefix0`, `prefix1`) and one row without a readable ts.
    func intake(_ prefix: String) -> IntakeBatch {
        var batch = IntakeBatch(origin: "http")
        for index in 0..<2 { batch.admit(RawEvent.with([.ts: "2026-11-29 10:00:00", .id: "\(prefix)\(index)"]), location: index, raw: { "" }) }
        batch.admit(RawEvent.with([.id: "\(prefix)x"]), location: 2, raw: { "{}" })
        return batch
    }

    func storedIDs(_ lake: any EventLake) async throws -> [String] {
        try await lake.read(after: nil, limit: 1000).compactMap { $0.event[.id] }
    }

    @Test func keysAreOneToTwoHundredFiftyFivePrintableASCIICharacters() {
        #expect(IntakeKey("a")?.text == "a")
        #expect(IntakeKey(String(repeating: "k", count: 255)) != nil)
        #expect(IntakeKey("order 42/retry~ok") != nil)
        for bad in ["", String(repeating: "k", count: 256), "tab\there", "é", "line\n", "\u{7F}"] {
            #expect(IntakeKey(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test func theSameKeyTwiceStoresOnceAndAnswersTheFirstReceipt() async throws {
        let directory = try TemporaryDirectory()
        let lake = try lake(directory, clock: ManualWallClock(Self.t0))
        let key = try #require(IntakeKey("batch-1"))
        var first = intake("a")
        let stored = try await first.flush(to: lake, key: key, fingerprint: "f1")
        #expect(!stored.replayed)
        #expect(stored.receipt == IntakeReceipt(accepted: 2, rejectedRows: [.init(location: 2, reason: "ts is missing")], fingerprint: "f1"))
        #expect(first.isEmpty)

        var retry = intake("a")
        let replayed = try await retry.flush(to: lake, key: key, fingerprint: "f1")
        #expect(replayed.replayed)
        #expect(replayed.receipt == stored.receipt)
        #expect(try await storedIDs(lake) == ["a0", "a1"])
        #expect(try await lake.quarantine(limit: 10).total == 1)

        // The key lives in the lake: a new instance on the same file (a restarted collector) knows it.
        let reopened = try self.lake(directory, clock: ManualWallClock(Self.t0 + 1000))
        var later = intake("a")
        #expect(try await later.flush(to: reopened, key: key, fingerprint: "f1").replayed)
        #expect(try await storedIDs(reopened) == ["a0", "a1"])
    }

    @Test func differentKeysAreDifferentIntakes() async throws {
        let directory = try TemporaryDirectory()
        let lake = try lake(directory, clock: ManualWallClock(Self.t0))
        var first = intake("a"), second = intake("b")
        #expect(try await !first.flush(to: lake, key: #require(IntakeKey("k1")), fingerprint: nil).replayed)
        #expect(try await !second.flush(to: lake, key: #require(IntakeKey("k2")), fingerprint: nil).replayed)
        #expect(try await storedIDs(lake) == ["a0", "a1", "b0", "b1"])
    }

    @Test func oneTransactionWithTheSameKeyTwiceStoresItOnce() async throws {
        let directory = try TemporaryDirectory()
        let lake = try lake(directory, clock: ManualWallClock(Self.t0))
        let key = try #require(IntakeKey("twice"))
        let write = LakeWrite(events: [AdmittedEvent(RawEvent.with([.ts: "2026-11-29 10:00:00", .id: "e"]))], rejections: [], key: key, fingerprint: "f")
        let plain = LakeWrite(events: [AdmittedEvent(RawEvent.with([.ts: "2026-11-29 10:00:00", .id: "plain"]))], rejections: [])
        let outcomes = try await lake.write([write, plain, write])
        #expect(outcomes == [.stored, .stored, .replayed(write.receipt)])
        #expect(try await storedIDs(lake) == ["e", "plain"])
    }

    @Test func concurrentSameKeyWritesThroughTheGroupCommitStoreOnce() async throws {
        let directory = try TemporaryDirectory()
        let lake = GroupCommitLake(base: try lake(directory, clock: ManualWallClock(Self.t0)))
        let key = try #require(IntakeKey("raced"))
        let answers = try await withThrowingTaskGroup(of: (receipt: IntakeReceipt, replayed: Bool).self) { group in
            for writer in 0..<24 {
                group.addTask {
                    var batch = IntakeBatch(origin: "http")
                    batch.admit(RawEvent.with([.ts: "2026-11-29 10:00:00", .id: "e"]), location: 0, raw: { "" })
                    // Unkeyed writes in the same groups are stored every time.
                    var other = IntakeBatch(origin: "http")
                    other.admit(RawEvent.with([.ts: "2026-11-29 10:00:00", .id: "u\(writer)"]), location: 0, raw: { "" })
                    _ = try await other.flush(to: lake)
                    return try await batch.flush(to: lake, key: key, fingerprint: "f")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.filter { !$0.replayed }.count == 1)
        #expect(Set(answers.map(\.receipt)).count == 1)
        let ids = try await storedIDs(lake)
        #expect(ids.filter { $0 == "e" }.count == 1)
        #expect(ids.filter { $0.hasPrefix("u") }.count == 24)
    }

    @Test func aKeyIsForgottenAfterTheWindow() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualWallClock(Self.t0)
        let lake = try lake(directory, clock: clock, window: .seconds(60))
        let key = try #require(IntakeKey("windowed"))
        var batch = intake("a")
        #expect(try await !batch.flush(to: lake, key: key, fingerprint: nil).replayed)
        clock.advance(seconds: 59.9)
        batch = intake("a")
        #expect(try await batch.flush(to: lake, key: key, fingerprint: nil).replayed, "inside the window: a retry")
        clock.advance(seconds: 0.1)
        batch = intake("a")
        #expect(try await !batch.flush(to: lake, key: key, fingerprint: nil).replayed, "after it: a new intake")
        #expect(try await storedIDs(lake) == ["a0", "a1", "a0", "a1"])
    }
}
