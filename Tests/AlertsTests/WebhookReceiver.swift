import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A webhook on a free local port that answers as its script says, one step per request (the
/// last step repeats), and keeps every request it received.
final class WebhookReceiver: Sendable {
    enum Step: Sendable {
        case answer(HTTPResponse.Status)
        /// Holds the request until the next one arrives (the sender gave up on it and tried again),
        /// or at most this long, and then answers 200: a late answer no sender may count.
        case stall(Duration)
    }

    struct Received: Sendable {
        let delivery: String?
        let signature: String?
        let body: String
        /// What this request was answered, `nil` for a stalled one.
        let status: Int?
    }

    private let state: Mutex<(script: [Step], received: [Received])>

    init(_ script: [Step]) {
        state = Mutex((script, []))
    }

    var received: [Received] { state.withLock { $0.received } }

    /// Replaces the steps to come.
    func script(_ steps: [Step]) { state.withLock { $0.script = steps } }

    private func nextStep() -> Step {
        state.withLock { state in state.script.count > 1 ? state.script.removeFirst() : state.script[0] }
    }

    private static func header(_ name: String, of request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
    }

    /// Runs the receiver while `body` runs, giving it the webhook's URL.
    func serve(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let step = self.nextStep()
            var status: HTTPResponse.Status?
            if case .answer(let answer) = step { status = answer }
            let received = Received(
                delivery: Self.header("X-JobPulse-Delivery", of: request), signature: Self.header("X-JobPulse-Signature", of: request),
                body: String(buffer: bytes), status: status?.code)
            self.state.withLock { $0.received.append(received) }
            if case .stall(let limit) = step {
                let held = self.received.count, deadline = ContinuousClock.now + limit
                while self.received.count == held, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            }
            return Response(status: status ?? .ok)
        }
        let port = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.continuation.yield(channel.localAddress?.port ?? 0) })
        let services = ServiceGroup(services: [app], logger: Logger(label: "test.receiver"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var ports = port.stream.makeAsyncIterator()
            let bound = await ports.next() ?? 0
            var failure: (any Error)?
            do {
                try await body("http://127.0.0.1:\(bound)/hook?token=receiver-secret")
            } catch {
                failure = error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            if let failure { throw failure }
        }
    }
}
