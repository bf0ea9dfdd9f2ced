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
        lake: any EventLake, warehouse: any Warehouse, configuration: AlertConfiguration, clock: WallClock, commits: WakeSignal
    ) -> [any Service] {
        let logger = Logger(label: "jobpulse.alerts")
        let evaluator = AlertEvaluator(warehouse: warehouse, configuration: configuration, clock: clock) {
            await pipelineFigures(lake: lake, warehouse: warehouse, now: clock.now)
        }
        let delivery = configuration.webhooks.isEmpty ? nil : WakeSignal()
        var services: [any Service] = [
            AlertService(evaluator: evaluator, configuration: configuration, commitSignal: commits, delivery: delivery, logger: logger)
        ]
        if let delivery {
            services.append(WebhookDeliveryService(warehouse: warehouse, configuration: configuration, wake: delivery, clock: clock, logger: logger))
        }
        return services
    }

    /// The data age from the warehouse (seconds since the newest committed event) and the lag
    /// from the lake, each nil when its part does not answer: the rule fires on what is known.
    static func pipelineFigures(lake: any EventLake, warehouse: any Warehouse, now: Int64) async -> PipelineFigures {
        guard let state = try? await warehouse.state(source: lake.kind) else { return PipelineFigures(dataAgeSeconds: nil, lagEvents: nil) }
        let lag = try? await lake.count(after: state.position.map(LakePosition.init))
        let age = state.newestEventTime.map { Double(max(0, now - $0)) / 1000 }
        return PipelineFigures(dataAgeSeconds: age, lagEvents: lag.map(Int64.init))
    }
}
