import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `jobpulse serve` process on a free port, for end-to-end tests.
package final class ServerProcess: @unchecked Sendable {
    package let process = Process()
    package let port: Int
    private let output = Pipe()
    private let logPath: String

    package init(arguments: [String], logPath: String) async throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: try jobpulseExecutable())
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let reader = output.fileHandleForReading
        let found = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                try await offloaded {
                    var text = ""
                    while true {
                        let data = reader.availableData
                        if data.isEmpty { return nil }
                        text += String(decoding: data, as: UTF8.self)
                        if let range = text.firstRange(of: "listening on http://127.0.0.1:"),
                            let port = Int(text[range.upperBound...].prefix { $0.isNumber })
                        {
                            return port
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let found else {
            process.terminate()
            throw TestFailure("jobpulse serve did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    package var baseURL: String { "http://127.0.0.1:\(port)" }

    package func get(_ path: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: baseURL + path)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    package func getJSON(_ path: String) async throws -> [String: Any] {
        let (status, data) = try await get(path)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("GET \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }

    package func post(_ path: String, json: String, contentType: String = "application/json") async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Sends SIGTERM and waits for the exit status.
    package func stop() async -> Int32 {
        process.terminate()
        let process = self.process
        return
            (try? await offloaded {
                process.waitUntilExit()
                return process.terminationStatus
            }) ?? -1
    }

    package var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit { if process.isRunning { process.terminate() } }
}
