import JobPulseClock
import JobPulseETL
import JobPulseInsights
import JobPulseLake
import JobPulseWarehouse
import Logging
import ServiceLifecycle

/// The alerts' services for a process that runs the ETL (`serve`, `etl`): the rules' evaluation
/// after each commit, which `commits` signals, and the webhooks' delivery when there are
/// webhooks. One process per lake runs them, as one runs the ETL.
public enum AlertServices {
    public static func make(
        lake: any EventLake, warehouse: any Warehouse, configuration: AlertConfiguration, clock: WallClock, commits: CommitNotice
    ) -> [any Service] {
        let logger = Logger(label: "jobpulse.alerts")
        let evaluator = AlertEvaluator(warehouse: warehouse, configuration: configuration, clock: clock) {
            await pipelineFigures(source: lake.kind, warehouse: warehouse, lag: commits.lagEvents, now: clock.now)
        }
        let delivery = configuration.webhooks.isEmpty ? nil : WakeSignal()
        var services: [any Service] = [
            AlertService(evaluator: evaluator, configuration: configuration, commitSignal: commits.signal, delivery: delivery, logger: logger)
        ]
        if let delivery {
            services.append(WebhookDeliveryService(warehouse: warehouse, configuration: configuration, wake: delivery, clock: clock, logger: logger))
        }
        return services
    }

    /// The data age from the warehouse (seconds since the newest committed event), nil when it
    /// does not answer, and the lag the ETL's last batch reported: the alerts never read the lake,
    /// so they cannot slow the ETL that shares it.
    static func pipelineFigures(source: String, warehouse: any Warehouse, lag: Int64?, now: Int64) async -> PipelineFigures {
        let state = try? await warehouse.state(source: source)
        let age = state?.newestEventTime.map { Double(max(0, now - $0)) / 1000 }
        return PipelineFigures(dataAgeSeconds: age, lagEvents: lag)
    }
}
