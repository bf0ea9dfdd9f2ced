import Foundation
import JobPulseTestSupport
import Testing

/// Follows the pixel's answer in headless Chromium: a valid redirect lands on the allowed host
/// (mapped to this machine with --host-resolver-rules), and the shapes that used to send a
/// browser elsewhere end on the server's own 400 page.
@Suite(.serialized) struct RedirectInBrowserTests {
    static let allowedHost = "jobs.example.test"

    @Test(.enabled(if: Chromium.path != nil || ProcessInfo.processInfo.environment["JOBPULSE_REQUIRE_BROWSER"] != nil))
    func chromiumOnlyEverLandsOnTheAllowedHost() async throws {
        let chromium = try #require(Chromium.path, "chromium is not installed (scripts/test.sh installs it)")
        let directory = try TemporaryDirectory()
        let server = try await ServerProcess(
            arguments: ["--data-dir", directory.path, "--no-etl", "--redirect-host", Self.allowedHost],
            logPath: directory.file("serve.log"))
        func finalPage(redirect encodedTarget: String) async throws -> String {
            try await Chromium.run(
                chromium, profile: directory.file("chromium"),
                arguments: [
                    "--host-resolver-rules=MAP \(Self.allowedHost) 127.0.0.1, MAP evil.com 127.0.0.1",
                    "--dump-dom", "--virtual-time-budget=3000", server.baseURL + "/t/click?job_id=1&redirect=" + encodedTarget,
                ])
        }

        // The allowed host is the server itself under another name: its /healthz is the landing page.
        let landed = try await finalPage(redirect: "http%3A%2F%2F\(Self.allowedHost)%3A\(server.port)%2Fhealthz")
        #expect(landed.contains(#""status":"ok""#), "Chromium followed the valid redirect: \(landed.prefix(300))")

        for target in [
            "https://evil.com%5C@\(Self.allowedHost)/", "http://evil.com:\(server.port)%5C@\(Self.allowedHost):\(server.port)/healthz",
            "http://\(Self.allowedHost):\(server.port)@evil.com:\(server.port)/healthz", "//\(Self.allowedHost):\(server.port)/healthz",
            "https://\(Self.allowedHost).evil.com/", "http://evil.com%09:\(server.port)/healthz", "javascript:alert(1)",
        ] {
            let page = try await finalPage(redirect: target)
            #expect(page.contains("redirect target refused"), "\(target) stays on the jobpulse 400 page: \(page.prefix(300))")
        }
        // Without an ETL nothing is committed, so the lag is every event the lake holds.
        let etl = try await server.getJSON("/healthz")["etl"] as? [String: Any]
        #expect(etl?["lag_events"] as? Int == 1, "only the valid redirect was recorded")
        #expect(await server.stop() == 0)
    }
}
