import Foundation
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

@testable import JobPulseETL

/// The single-writer lease when its holder dies or lives elsewhere: a holder known dead is
/// replaced at once, a live one is waited for, never run over.
@Suite(.serialized) struct LeaseTests {
    @Test func holderNamesAreReadBack() throws {
        let own = try #require(LeaseHolder(owner: ETLConfiguration().owner))
        #expect(own.processID == getpid())
        #expect(!own.hasExitedOnThisHost, "this process is alive")
        #expect(LeaseHolder(owner: "spark-etl") == nil)
        #expect(LeaseHolder(owner: "host:notapid:abc") == nil)
        #expect(LeaseHolder(owner: "host:-4:abc") == nil)
    }

    @Test func holderGoneFromThisHostIsRecognised() async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        _ = try await offloaded { child.waitUntilExit() }
        let host = ProcessInfo.processInfo.hostName
        #expect(LeaseHolder(owner: "\(host):\(child.processIdentifier):0")?.hasExitedOnThisHost == true)
        #expect(
            LeaseHolder(owner: "elsewhere.example:\(child.processIdentifier):0")?.hasExitedOnThisHost == false,
            "a process on another host cannot be checked from here")
    }

    /// An ETL SIGKILLed with a long lease: the next `etl --once` on this host takes the lease
    /// over at once instead of failing until it expires, and the warehouse is exact.
    @Test func killedETLsLeaseIsTakenOverAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        #expect(try await runJobPulse(["generate", "--count", "3000"] + data).status == 0)
        let crashed = try await runJobPulse(
            ["etl", "--once", "--batch-size", "500", "--lease-ttl", "600"] + data,
            environment: ["JOBPULSE_CRASH_AT": "aggregated:2"])
        #expect(crashed.status == 86)
        let store = try await TestStore(directory: directory)
        let held = try #require(try await store.warehouse.state(source: "sqlite"))
        #expect(held.leaseOwner != nil && (held.leaseExpiresAt ?? 0) > TestClock.now + 500_000, "the dead ETL still holds a long lease")

        let next = try await runJobPulse(["etl", "--once"] + data)
        #expect(next.status == 0, "\(next.output)")
        #expect(next.output.contains("taking over the lease"))
        try await expectWarehouseEqualsGroundTruth(store)
    }

    /// A data folder with `events` generated events, its store, and its lake's identity.
    func generated(_ events: Int) async throws -> (data: [String], store: TestStore, identity: String) {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        #expect(try await runJobPulse(["generate", "--count", "\(events)"] + data).status == 0)
        let store = try await TestStore(directory: directory)
        return (data, store, try await store.lake.identity())
    }

    /// A lease held from another host cannot be known dead: `etl --once` says it waits, waits for
    /// the expiry, then runs.
    @Test func onceWaitsForAnotherHostsLeaseToExpire() async throws {
        let (data, store, identity) = try await generated(500)
        // Long enough that the new process still finds it held on a busy machine.
        _ = try await store.warehouse.acquireLease(
            source: "sqlite", lakeIdentity: identity, owner: "elsewhere.example:77:abcd",
            ttlMilliseconds: 15_000)
        let run = try await runJobPulse(["etl", "--once"] + data)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("holds the lease") && run.output.contains("waiting"), "\(run.output)")
        try await expectWarehouseEqualsGroundTruth(store)
    }

    /// A holder that renews its lease while `etl --once` waits is alive and working: the run
    /// gives up with the holder's name instead of waiting forever.
    @Test func onceGivesUpWhenTheHolderRenews() async throws {
        let (data, store, identity) = try await generated(200)
        // Renewed every 300 ms for 20 s: a renewal can wait seconds for a thread of the busy
        // suite's cooperative pool, and must still come before the lease runs out.
        let renewing = Task {
            while !Task.isCancelled {
                _ = try? await store.warehouse.acquireLease(
                    source: "sqlite", lakeIdentity: identity, owner: "elsewhere.example:77:live",
                    ttlMilliseconds: 20_000)
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        let run = try await runJobPulse(["etl", "--once"] + data)
        renewing.cancel()
        #expect(run.status != 0)
        #expect(run.output.contains("elsewhere.example:77:live"))
        #expect(try await store.warehouse.state(source: "sqlite")?.batches == 0, "nothing committed beside the live holder")
    }
}
