import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseCore
import JobPulseLake
import JobPulseServer
import JobPulseTestSupport
import Testing

/// `POST /v1/events` with `Idempotency-Key`: a retry is answered with the first answer and
/// stores nothing; a malformed key is refused; a key reused for another body is refused.
@Suite struct CollectorIdempotencyTests {
    let http = CollectorHTTPTests()
    static let body = #"[{"ts":"2026-11-29 10:00:00","custom_track":"click","id":"e1"},{"custom_track":"click"},{"ts":"2026-11-29T10:00:00Z","id":"e2"}]"#

    func post(_ client: any TestClientProtocol, key: String?, body: String = Self.body) async throws -> TestResponse {
        var headers = CollectorHTTPTests.json
        if let key { headers[.idempotencyKey] = key }
        return try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func aRetryWithTheKeyGetsTheFirstAnswerAndStoresNothing() async throws {
        try await http.withServer { client, store in
            let first = try await post(client, key: "order-7/attempt")
            #expect(first.status == .ok)
            #expect(first.headers[.idempotencyReplayed] == nil)
            let expected = String(buffer: first.body)
            #expect(try IntakeAnswer(expected) == IntakeAnswer(received: 3, accepted: 2, rejected: 1, errors: [.init(index: 1, reason: "ts is missing")]))
            for _ in 0..<2 {
                let retry = try await post(client, key: "order-7/attempt")
                #expect(retry.status == .ok)
                #expect(retry.headers[.idempotencyReplayed] == "true")
                #expect(String(buffer: retry.body) == expected, "the first answer, byte for byte")
            }
            #expect(try await http.lakeEvents(store).map { $0[.id] } == ["e1", "e2"])
            #expect(try await store.lake.quarantine(limit: 10).total == 1)

            // Without a key, the same body is a new intake every time.
            #expect(try await post(client, key: nil).status == .ok)
            #expect(try await http.lakeEvents(store).count == 4)
        }
    }

    @Test func aMalformedKeyIs400AndStoresNothing() async throws {
        try await http.withServer { client, store in
            for key in ["", String(repeating: "k", count: 256), "caf\u{E9}"] {
                let response = try await post(client, key: key)
                #expect(response.status == .badRequest, "\(key.debugDescription)")
                #expect(String(buffer: response.body).contains("Idempotency-Key"))
            }
            #expect(try await http.lakeEvents(store).isEmpty)
        }
    }

    @Test func aKeyReusedForAnotherBodyIs422() async throws {
        try await http.withServer { client, store in
            #expect(try await post(client, key: "k").status == .ok)
            let other = try await post(client, key: "k", body: #"[{"ts":"2026-11-29 11:00:00","id":"other"}]"#)
            #expect(other.status == .unprocessableContent)
            #expect(String(buffer: other.body).contains("other content"))
            #expect(try await http.lakeEvents(store).map { $0[.id] } == ["e1", "e2"])
        }
    }
}
