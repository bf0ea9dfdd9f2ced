import Foundation
import JobPulseTestSupport

/// One page in headless Chromium, driven over the DevTools protocol, for the checks that need
/// the laid-out page (sizes, positions) rather than the markup that `--dump-dom` prints.
///
/// The protocol runs over a pair of pipes (`--remote-debugging-pipe`: commands in on file
/// descriptor 3, answers out on 4, each message ending in a NUL byte) rather than a WebSocket,
/// which Foundation's libcurl on Linux may not support.
final class DevToolsPage {
    private let browser = Process()
    private let commands = Pipe()
    private let answers = Pipe()
    private var unread = Data()
    private var lastID = 0
    /// The page's session on the browser's connection; commands without one go to the browser.
    private var session: String?

    /// A new Chromium with the profile `profile` and one blank page of `width` × `height` CSS
    /// pixels; narrower than 600 it is laid out as a phone.
    init(chromium: String, profile: String, width: Int, height: Int) async throws {
        // The shell hands the two pipes to Chromium as descriptors 3 and 4.
        browser.executableURL = URL(fileURLWithPath: "/bin/sh")
        browser.arguments = [
            "-c", #"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#, chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--user-data-dir=\(profile)", "--remote-debugging-pipe", "--window-size=\(width),\(height)", "about:blank",
        ]
        browser.environment = ProcessInfo.processInfo.environment.merging(["HOME": profile]) { $1 }
        browser.standardInput = commands
        browser.standardOutput = answers
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        do {
            let target = try await send("Target.createTarget", ["url": "about:blank"])["targetId"] as? String ?? ""
            session = try await send("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String
            // Headless Chromium will not make a window narrower than 500 px, so the page's own
            // size is set instead; a phone also gets overlay scroll bars and the viewport meta tag.
            _ = try await send(
                "Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600])
        } catch {
            close()
            throw error
        }
    }

    /// Sends one DevTools command and returns its result.
    func send(_ method: String, _ parameters: [String: Any] = [:]) async throws -> [String: Any] {
        guard browser.isRunning else { throw TestFailure("Chromium is not running, so it cannot take \(method)") }
        lastID += 1
        var command: [String: Any] = ["id": lastID, "method": method, "params": parameters]
        command["sessionId"] = session
        try commands.fileHandleForWriting.write(contentsOf: try JSONSerialization.data(withJSONObject: command) + [0])
        while true {
            while !unread.contains(0) {
                let reader = answers.fileHandleForReading
                let more = try await offloaded { reader.availableData }
                if more.isEmpty { throw TestFailure("Chromium quit while answering \(method)") }
                unread += more
            }
            let end = unread.firstIndex(of: 0)!
            let message = unread[..<end]
            unread = Data(unread[(end + 1)...])
            // Anything else is an event, which these checks do not need.
            guard let answer = try JSONSerialization.jsonObject(with: message) as? [String: Any], answer["id"] as? Int == lastID else { continue }
            if let error = answer["error"] { throw TestFailure("\(method) failed: \(error)") }
            return answer["result"] as? [String: Any] ?? [:]
        }
    }

    /// The value of a JavaScript expression in the page.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = result["exceptionDetails"] { throw TestFailure("\(expression) threw: \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Opens `url` and waits until the dashboard has finished its first refresh.
    func loadDashboard(_ url: String) async throws {
        _ = try await send("Page.navigate", ["url": url])
        let loaded = try await poll(every: .milliseconds(100)) {
            try await evaluate("document.body?.getAttribute('data-loaded')") as? String == "true"
        }
        guard loaded else { throw TestFailure("the dashboard did not finish its first refresh within \(patience)") }
    }

    func close() {
        browser.terminate()
        browser.waitUntilExit()
    }
}
