import JobPulseClock
import JobPulseCore
import JobPulseETL
import JobPulseInsights
import Logging
import Metrics
import ServiceLifecycle

/// Evaluates the alert rules after each commit (``commitSignal``), at most once per
/// `minimumSpacing`, and at least once per `interval`; then wakes the webhook delivery. Runs in
/// the process that runs the ETL. An evaluation that fails (the warehouse is down) is logged
/// and tried again at the next turn: the alerts' state is in the warehouse, so nothing is lost.
public struct AlertService: Service {
    let evaluator: AlertEvaluator
    let configuration: AlertConfiguration
    /// Signalled by the ETL after each commit.
    public let commitSignal: WakeSignal
    let delivery: WakeSignal?
    let logger: Logger

    public init(evaluator: AlertEvaluator, configuration: AlertConfiguration, commitSignal: WakeSignal, delivery: WakeSignal?, logger: Logger) {
        self.evaluator = evaluator
        self.configuration = configuration
        self.commitSignal = commitSignal
        self.delivery = delivery
        self.logger = logger
    }

    public func run() async throws {
        let gauges = Dictionary(
            uniqueKeysWithValues: AlertRule.allCases.map { ($0, Gauge(label: "jobpulse_alerts_firing", dimensions: [("rule", $0.rawValue)])) })
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    let outcome = try await evaluator.evaluate()
                    for (rule, count) in outcome.firing { gauges[rule]?.record(count) }
                    if outcome.changes > 0 {
                        logger.info("alerts evaluated", metadata: ["changes": "\(outcome.changes)", "firing": "\(outcome.firing.values.reduce(0, +))"])
                        delivery?.signal()
                    }
                    if failing { logger.info("alerts evaluated again") }
                    failing = false
                } catch {
                    if !failing { logger.warning("alerts could not be evaluated: \(error); trying again after the next commit") }
                    failing = true
                }
                try? await Task.sleep(for: configuration.minimumSpacing)
                await commitSignal.wait(timeout: max(.milliseconds(1), configuration.interval - configuration.minimumSpacing))
            }
        }
    }
}
