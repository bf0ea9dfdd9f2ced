import Foundation

/// Headless Chromium, for the tests that look at pages in a real browser.
package enum Chromium {
    package static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs headless Chromium (as root it needs --no-sandbox) and returns what it printed.
    package static func run(_ path: String, profile: String, arguments: [String]) async throws -> String {
        try await offloaded {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["HOME": profile]) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
