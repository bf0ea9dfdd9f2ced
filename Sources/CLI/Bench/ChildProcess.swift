import Foundation

/// This very `jobpulse`, run as a separate process: benchmarks keep the measured work and its
/// load generator in processes of their own.
struct ChildProcess {
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Reads `peak memory 85 MiB`, the last figure `jobpulse import` and `etl --once` print.
    static func peakMiB(_ output: String) -> Int? {
        output.ranges(of: "peak memory ").last.flatMap { Int(output[$0.upperBound...].prefix { $0.isNumber }) }
    }

    /// Runs `jobpulse arguments…` to completion and returns its standard output.
    static func run(_ arguments: [String]) throws -> String {
        try run(program: executable, arguments)
    }

    /// Runs another program (a peer engine, its installer) to completion and returns its
    /// standard output; `environment` adds to this process's environment.
    static func run(program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        process.standardOutput = output
        // Another program's few lines of errors (a Python traceback) are kept for the report;
        // jobpulse's own say nothing its output does not.
        let errors = Pipe()
        process.standardError = program == executable ? FileHandle.nullDevice : errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let name = program == executable ? "jobpulse" : program
            let errorText = program == executable ? "" : String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw BenchError("\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(text)\(errorText.suffix(2000))")
        }
        return text
    }

    /// Starts `jobpulse serve …` on a free port and returns the process and its port.
    static func startServer(_ arguments: [String]) async throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--port", "0", "--log-level", "error"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.firstRange(of: "listening on http://127.0.0.1:"),
                let port = Int(text[range.upperBound...].prefix { $0.isNumber })
            {
                return (process, port)
            }
        }
        process.terminate()
        throw BenchError("jobpulse serve did not start: \(text)")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
