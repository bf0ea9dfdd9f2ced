import Foundation
import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import Testing

/// The ETL as a real process, ended abruptly (`_exit` at a step, or SIGKILL at a random moment):
/// SQLite's journal and the commit protocol must leave the warehouse exact.
@Suite(.serialized) struct CrashProcessTests {
    @Test func processCrashAtEveryStep() async throws {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        let csv = directory.file("tracking.csv")
        #expect(try await runJobPulse(["generate", "--count", "6000", "--csv", csv, "--jobs-csv", directory.file("job.csv")] + data).status == 0)
        #expect(try await runJobPulse(["import", csv] + data).status == 0)
        #expect(try await runJobPulse(["import-jobs", directory.file("job.csv")] + data).status == 0)
        for (index, step) in BatchStep.allCases.enumerated() {
            let result = try await runJobPulse(
                ["etl", "--once", "--batch-size", "400", "--lease-ttl", "0.2"] + data,
                environment: ["JOBPULSE_CRASH_AT": "\(step):\(index % 2 + 1)"])
            #expect(result.status == 86, "crash at \(step): \(result.output)")
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(try await runJobPulse(["etl", "--once", "--batch-size", "400"] + data).status == 0)
        let store = try await TestStore(directory: directory)
        try await expectWarehouseEqualsGroundTruth(store)
    }

    @Test func killedAtRandomMomentsWhileEventsArrive() async throws {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        #expect(try await runJobPulse(["generate", "--count", "20000"] + data).status == 0)
        var random = SplitMix64(seed: 11)
        let executable = try jobpulseExecutable()
        for round in 0..<6 {
            let etl = Process()
            etl.executableURL = URL(fileURLWithPath: executable)
            etl.arguments = ["etl", "--batch-size", "700", "--interval", "0.05", "--lease-ttl", "0.2", "--log-level", "error"] + data
            try etl.run()
            #expect(try await runJobPulse(["generate", "--count", "1500", "--no-jobs", "--seed", "\(round + 100)"] + data).status == 0)
            try await Task.sleep(for: .milliseconds(Int64(50 + random.next() % 400)))
            kill(etl.processIdentifier, SIGKILL)
            _ = try await offloaded { etl.waitUntilExit() }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(try await runJobPulse(["etl", "--once"] + data).status == 0)
        let store = try await TestStore(directory: directory)
        try await expectWarehouseEqualsGroundTruth(store)
    }
}
