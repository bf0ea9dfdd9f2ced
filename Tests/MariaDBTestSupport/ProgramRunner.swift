#if MySQL
import Foundation

/// Runs a program to completion without blocking a Swift concurrency thread, and returns its
/// combined standard output and error (captured through a file, so a chatty program cannot
/// stall on a full pipe).
@discardableResult
public func runProgram(
    _ executable: String, _ arguments: [String], checked: Bool = true
) async throws -> (
    status: Int32, output: String
) {
    let outputPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("mariadb-test-output-\(UUID().uuidString)").path
    guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
        throw ServerError.programFailed(program: executable, status: -1, output: "cannot create \(outputPath)")
    }
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let outputHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = outputHandle
    process.standardError = outputHandle
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    try outputHandle.close()
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    if checked && status != 0 {
        throw ServerError.programFailed(
            program: URL(fileURLWithPath: executable).lastPathComponent, status: status, output: output
        )
    }
    return (status, output)
}
#endif
