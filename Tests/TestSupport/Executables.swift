import Foundation

/// The built `jobpulse` executable, next to the test bundle.
package func jobpulseExecutable() throws -> String { try builtExecutable("jobpulse") }

/// An executable of this package (`jobpulse`, `cassandra-stand-in`), next to the test bundle.
package func builtExecutable(_ name: String) throws -> String {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = url.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        url = url.deletingLastPathComponent()
    }
    let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/" + name
    guard FileManager.default.isExecutableFile(atPath: fallback) else {
        throw TestFailure("\(name) executable not found; run `swift build` before `swift test`")
    }
    return fallback
}

package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Runs `jobpulse` with arguments and extra environment; returns exit status and output.
@discardableResult
package func runJobPulse(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) async throws -> (status: Int32, output: String) {
    let executable = try jobpulseExecutable()
    return try await offloaded {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs blocking work (waiting for a process, reading a pipe) on a thread of its own: on a
/// small machine the few threads of Swift's cooperative pool must never wait on it, or every
/// other test running in parallel stalls.
package func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
