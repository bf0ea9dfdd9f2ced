import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import JobPulseServer

/// The server's own timing of its requests, as `/metrics` exports it.
@Suite struct RequestDurationTests {
    /// The exported samples of the duration histogram whose labels contain `labels`, by suffix
    /// (`count`, `sum`, `bucket le=…`).
    static func samples(_ registry: PrometheusCollectorRegistry, _ labels: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in String(decoding: registry.emitToBuffer(), as: UTF8.self).split(separator: "\n")
        where line.hasPrefix(RequestDurationMiddleware.name) && line.contains(labels) {
            let parts = line.split(separator: " ")
            let name = String(parts[0])
            let suffix = name.dropFirst(RequestDurationMiddleware.name.count).prefix { $0 != "{" }
            let le = name.range(of: #"le=""#).map { String(name[$0.upperBound...].prefix { $0 != "\"" }) }
            samples[suffix + (le.map { " le=" + $0 } ?? "")] = Double(parts[1])
        }
        return samples
    }

    @Test func theServerTimesEachRequestByRouteMethodAndStatus() async throws {
        let registry = PrometheusCollectorRegistry()
        let router = Router()
        router.add(middleware: RequestDurationMiddleware(registry: registry))
        router.get("/quick") { _, _ in "ok" }
        router.get("/slow/:id") { _, _ in
            try await Task.sleep(for: .milliseconds(30))
            return "ok"
        }
        router.get("/refused") { _, _ -> String in throw HTTPError(.badRequest, message: "no") }
        try await Application(router: router).test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/quick", method: .get) { #expect($0.status == .ok) } }
            for id in 1...2 { try await client.execute(uri: "/slow/\(id)", method: .get) { #expect($0.status == .ok) } }
            try await client.execute(uri: "/refused", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/nowhere/at/all", method: .get) { #expect($0.status == .notFound) }
        }
        let quick = Self.samples(registry, #"route="/quick",method="GET",status="200""#)
        #expect(quick["_count"] == 3)
        let slow = Self.samples(registry, #"route="/slow/{id}",method="GET",status="200""#)
        #expect(slow["_count"] == 2, "both paths under the route's pattern")
        #expect(slow["_bucket le=0.025"] == 0 && slow["_bucket le=+Inf"] == 2, "30 ms of handler are counted")
        #expect((slow["_sum"] ?? 0) >= 0.06)
        #expect(Self.samples(registry, #"route="/refused",method="GET",status="400""#)["_count"] == 1, "a thrown error is timed with its status")
        let unknown = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        #expect(!unknown.contains("nowhere"), "a path no route matched is not a label")
        #expect(unknown.contains(#"status="404""#))
    }
}
