import Foundation
import JobPulseTestSupport
import Testing

/// The stand-in node as a process of its own (`cassandra-stand-in`), as clients in other
/// processes and languages use it: `jobpulse` commands run against it end to end, and the node
/// stops when its standard input closes.
@Suite(.timeLimit(.minutes(10))) struct StandInProcessTests {
    @Test func jobpulseCommandsRunAgainstTheStandInProcess() async throws {
        let node = Process()
        node.executableURL = URL(fileURLWithPath: try builtExecutable("cassandra-stand-in"))
        let input = Pipe()
        let output = Pipe()
        node.standardInput = input
        node.standardOutput = output
        try node.run()
        let line = try await offloaded { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
        let port = try #require(line.firstMatch(of: /listening on 127\.0\.0\.1:([0-9]+)/).flatMap { Int($0.1) }, "\(line)")

        let directory = try TemporaryDirectory()
        let storage = [
            "--lake", "cassandra://127.0.0.1:\(port)/jp?safety_lag_seconds=0",
            "--warehouse", "sqlite://" + directory.file("warehouse.db"), "--log-level", "warning",
        ]
        #expect(try await runJobPulse(["migrate"] + storage).status == 0)
        let generated = try await runJobPulse(["generate", "--count", "400", "--days", "0", "--no-jobs"] + storage)
        #expect(generated.status == 0, "\(generated.output)")
        let accepted = try #require(generated.output.firstMatch(of: /accepted ([0-9,]+)/).map { String($0.1) }, "\(generated.output)")
        let etl = try await runJobPulse(["etl", "--once"] + storage)
        #expect(etl.status == 0 && etl.output.contains("the lake holds \(accepted)"), "\(etl.output)")

        try input.fileHandleForWriting.close()
        try await offloaded { node.waitUntilExit() }
        #expect(node.terminationStatus == 0)
    }
}
