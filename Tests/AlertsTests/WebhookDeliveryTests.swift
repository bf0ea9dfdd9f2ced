import Foundation
import JobPulseAlerts
import JobPulseClock
import JobPulseETL
import JobPulseInsights
import JobPulseTestSupport
import JobPulseWarehouse
import Logging
import ServiceLifecycle
import Testing

/// The webhooks' delivery against a real local receiver that fails, stalls past the timeout and
/// recovers: each notification arrives with its id and a signature that `openssl` verifies, and
/// nothing queued is lost when the sender stops before the receiver recovers.
@Suite struct WebhookDeliveryTests {
    static let secret = "shared-secret"

    /// A timeout long enough for a busy machine to answer within, short enough to wait for.
    static let timeout: Duration = .seconds(2)

    static func configuration(_ target: WebhookTarget, timeout: Duration = timeout) -> AlertConfiguration {
        AlertConfiguration(
            webhooks: [target], secret: secret, deliveryTimeout: timeout, firstBackoff: .milliseconds(50), maximumBackoff: .milliseconds(200))
    }

    /// The notifications still queued for `target`.
    static func queued(_ warehouse: SQLWarehouse, _ target: WebhookTarget) async throws -> [PendingDelivery] {
        try await warehouse.dueDeliveries(targets: [target.id], dueBy: .max, limit: 10)
    }

    /// Queues one firing alert's notification for `target`, as an evaluation would.
    static func queueAlert(_ warehouse: SQLWarehouse, target: WebhookTarget, now: Int64) async throws -> AlertNotificationText {
        let condition = AlertCondition(rule: .trafficStopped, scope: .job, scopeID: 7, value: 6.5, threshold: 6, message: "job 7 has had no click")
        let changes = AlertTransitions.changes(stored: [], conditions: [condition], now: now)
        #expect(try await warehouse.applyAlertChanges(changes, targets: [target.id]) == 1)
        return try #require(changes.first?.notification)
    }

    /// Runs the delivery service until `done` holds (or 2 minutes pass, on a busy machine), then
    /// stops it gracefully.
    static func deliver(_ warehouse: SQLWarehouse, _ configuration: AlertConfiguration, until done: @escaping @Sendable () async throws -> Bool) async throws {
        let service = WebhookDeliveryService(
            warehouse: warehouse, configuration: configuration, wake: WakeSignal(), clock: .system, logger: Logger(label: "test.webhooks"))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test.webhooks"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(120)
            while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// HMAC-SHA256 of `body` as `openssl dgst` computes it: an implementation other than the sender's.
    static func opensslSignature(_ body: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "dgst", "-sha256", "-hmac", secret, "-r"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return "sha256=" + (text.split(separator: " ").first.map(String.init) ?? "")
    }

    @Test func aFailingThenStallingWebhookGetsTheNotificationWhenItRecovers() async throws {
        let store = try await TestStore()
        let receiver = WebhookReceiver([.answer(.internalServerError), .stall(.seconds(60)), .answer(.ok)])
        try await receiver.serve { url in
            let target = try #require(WebhookTarget(url))
            let notification = try await Self.queueAlert(store.warehouse, target: target, now: WallClock.system.now)
            try await Self.deliver(store.warehouse, Self.configuration(target)) { try await Self.queued(store.warehouse, target).isEmpty }
            let received = receiver.received
            // At least once: on a slow machine the sender may give up on the answer that took it, and
            // send it again.
            #expect(
                received.prefix(2).map(\.status) == [500, nil] && received.count >= 3 && received.dropFirst(2).allSatisfy { $0.status == 200 },
                "a failure, a timeout, then the success: \(received.map(\.status))")
            #expect(received.allSatisfy { $0.delivery == notification.id && $0.body == notification.body }, "every attempt is the same notification")
            let delivered = try #require(received.last { $0.status == 200 }, "the webhook never took the notification")
            #expect(delivered.signature == (try Self.opensslSignature(notification.body)))
        }
        try await store.warehouse.close()
    }

    /// The sender stops while the webhook still fails: the notification stays queued with its
    /// failures counted, and a new sender (as after a restart) delivers it once the webhook
    /// recovers.
    @Test func aRestartedSenderDeliversWhatTheLastOneCouldNot() async throws {
        let store = try await TestStore()
        let receiver = WebhookReceiver([.answer(.serviceUnavailable)])
        try await receiver.serve { url in
            let target = try #require(WebhookTarget(url))
            let notification = try await Self.queueAlert(store.warehouse, target: target, now: WallClock.system.now)
            // A receiver that answers at once gets a timeout long enough for a machine busy with every suite.
            try await Self.deliver(store.warehouse, Self.configuration(target, timeout: .seconds(20))) {
                try await Self.queued(store.warehouse, target).first?.attempts ?? 0 >= 2
            }
            let waiting = try await Self.queued(store.warehouse, target)
            #expect(waiting.map(\.id) == [notification.id])
            #expect(waiting.first.map { $0.attempts >= 2 } == true)
            #expect(waiting.first?.lastError == "the webhook answered 503")

            receiver.script([.answer(.noContent)])
            try await Self.deliver(store.warehouse, Self.configuration(target)) { try await Self.queued(store.warehouse, target).isEmpty }
            #expect(receiver.received.last?.delivery == notification.id && receiver.received.last?.status == 204)
        }
        try await store.warehouse.close()
    }

    /// The outbox holds a digest of the URL, never the URL or its token, and logs show only its host.
    @Test func theWebhooksURLStaysOutOfTheWarehouseAndTheLogs() throws {
        let target = try #require(WebhookTarget("https://hooks.example.com/services/T0KEN?key=s3cret"))
        #expect(target.id.count == 16 && !target.id.contains("T0KEN"))
        #expect(target.description == "https://hooks.example.com (\(target.id))")
        #expect(WebhookTarget("ftp://example.com/") == nil && WebhookTarget("not a url") == nil && WebhookTarget("http:///path") == nil)
    }
}
