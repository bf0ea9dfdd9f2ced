import Foundation
import JobPulseGenerator

/// Scenario 4: the most events per second the collector accepts durably over HTTP, with `wrk`
/// (Debian package `wrk`) as the load generator in a separate process on loopback.
struct IngestionScenario {
    let directory: String
    let batchSize: Int
    let seconds: Int
    let connections: Int

    func run() async throws -> BenchFigures {
        var figures = BenchFigures("4. ingestion over HTTP (\(batchSize) events a request, \(connections) connections, wrk)")
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            figures.notes.append("skipped: wrk is not installed (apt-get install wrk)")
            return figures
        }
        let body = FreshnessScenario.bodies(count: 1, size: batchSize)[0]
        let bodyPath = directory + "/body.json"
        try body.data.write(to: URL(fileURLWithPath: bodyPath))
        let script = directory + "/post.lua"
        try """
        local f = io.open("\(bodyPath)", "rb")
        wrk.method = "POST"
        wrk.body = f:read("*all")
        f:close()
        wrk.headers["Content-Type"] = "application/json"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        // The collector alone: the ETL would share the two cores with it.
        let (server, port) = try await ChildProcess.startServer(["--data-dir", directory, "--no-etl"])
        defer {
            server.terminate()
            server.waitUntilExit()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "-s", script, "http://127.0.0.1:\(port)/v1/events"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Requests/sec:") }),
            let requests = Double(line.split(separator: " ").last ?? "")
        else {
            throw BenchError("unexpected wrk output: \(text)")
        }
        if text.contains("Non-2xx") { figures.notes.append("some requests were refused: \(text)") }
        figures.add("requests", requests, "requests/s")
        figures.add("events accepted durably", requests * Double(body.accepted), "events/s")
        return figures
    }
}
