import AsyncHTTPClient
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseETL
import JobPulseWarehouse
import Logging
import NIOCore
import ServiceLifecycle

/// Sends the notifications the warehouse's outbox holds to the webhooks, at least once each:
/// a notification leaves the outbox only when its webhook answered 2xx; any other answer, a
/// refused connection or a timeout counts a failure, and the next attempt waits
/// ``AlertConfiguration/backoff(afterFailures:)``. After a restart it carries on from the outbox.
///
/// It owns the HTTP client, created when it starts and shut down when it stops, whatever stops it.
public struct WebhookDeliveryService: Service {
    let warehouse: any AlertWarehouse
    let configuration: AlertConfiguration
    /// Signalled when new notifications are queued.
    public let wake: WakeSignal
    let clock: WallClock
    let logger: Logger
    /// Notifications sent per turn; the rest wait for the next one.
    static let batch = 100
    /// The longest wait between two looks at the outbox, in case a wake-up was missed.
    static let idleLook: Duration = .seconds(30)

    public init(warehouse: any AlertWarehouse, configuration: AlertConfiguration, wake: WakeSignal, clock: WallClock, logger: Logger) {
        self.warehouse = warehouse
        self.configuration = configuration
        self.wake = wake
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        await cancelWhenGracefulShutdown { await deliverUntilCancelled(client) }
        try await client.shutdown()
    }

    func deliverUntilCancelled(_ client: HTTPClient) async {
        let targets = Dictionary(uniqueKeysWithValues: configuration.webhooks.map { ($0.id, $0) })
        let ids = Array(targets.keys)
        while !Task.isCancelled {
            var wait = Self.idleLook
            do {
                for delivery in try await warehouse.dueDeliveries(targets: ids, dueBy: clock.now, limit: Self.batch) {
                    guard let target = targets[delivery.target], !Task.isCancelled else { continue }
                    await send(delivery, to: target, with: client)
                }
                if let due = try await warehouse.nextDeliveryDue(targets: ids) {
                    wait = min(wait, .milliseconds(max(0, due - clock.now)))
                }
            } catch {
                logger.warning("the alerts' outbox could not be read: \(error); looking again in \(Self.idleLook)")
            }
            if wait > .zero { await wake.wait(timeout: wait) }
        }
    }

    /// One attempt: 2xx takes the notification out of the outbox, anything else schedules the next.
    func send(_ delivery: PendingDelivery, to target: WebhookTarget, with client: HTTPClient) async {
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "JobPulse")
        request.headers.add(name: "X-JobPulse-Delivery", value: delivery.id)
        if let secret = configuration.secret {
            request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(delivery.body, secret: secret))
        }
        request.body = .bytes(ByteBuffer(string: delivery.body))
        let failure: String
        do {
            let response = try await client.execute(request, timeout: TimeAmount.milliseconds(configuration.deliveryTimeout.wholeMilliseconds))
            _ = try? await response.body.collect(upTo: 64 << 10)
            if (200..<300).contains(response.status.code) {
                try await warehouse.deliverySucceeded(id: delivery.id, target: delivery.target)
                logger.info("alert delivered", metadata: ["id": "\(delivery.id)", "webhook": "\(target)", "attempts": "\(delivery.attempts + 1)"])
                return
            }
            failure = "the webhook answered \(response.status.code)"
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            failure = "the webhook did not answer within \(configuration.deliveryTimeout)"
        } catch {
            failure = "\(error)"
        }
        let failures = delivery.attempts + 1
        let next = clock.now + configuration.backoff(afterFailures: failures).wholeMilliseconds
        logger.warning(
            "alert not delivered: \(failure); next attempt at \(Timestamp.iso8601(next))",
            metadata: ["id": "\(delivery.id)", "webhook": "\(target)", "attempts": "\(failures)"])
        do {
            try await warehouse.deliveryFailed(id: delivery.id, target: delivery.target, nextAttemptAt: next, error: failure)
        } catch {
            logger.warning("the failed attempt could not be recorded: \(error); it will be made again")
        }
    }
}
