import JobPulseWarehouse
import Logging
import ServiceLifecycle

/// The continuous ETL as a `Service`, for `jobpulse etl`, `serve` and `demo`: batches until the
/// group shuts down gracefully, and lets the batch under way commit (it is never cut off).
///
/// Beside a collector (`catchesUpOnShutdown`), it then commits whatever the collector accepted
/// before stopping, so that a restart finds the warehouse as current as the lake; a warehouse
/// that is down by then is not a failure: the events are safe in the lake for the next ETL.
public struct ETLService: Service {
    let pipeline: ETLPipeline
    let wake: WakeSignal?
    let catchesUpOnShutdown: Bool
    let onBatch: (@Sendable (BatchReport) -> Void)?
    let logger: Logger

    public init(
        pipeline: ETLPipeline, wake: WakeSignal? = nil, catchesUpOnShutdown: Bool = false, logger: Logger,
        onBatch: (@Sendable (BatchReport) -> Void)? = nil
    ) {
        self.pipeline = pipeline
        self.wake = wake
        self.catchesUpOnShutdown = catchesUpOnShutdown
        self.onBatch = onBatch
        self.logger = logger
    }

    public func run() async throws {
        let (pipeline, wake, onBatch) = (self.pipeline, self.wake, self.onBatch)
        await cancelWhenGracefulShutdown {
            await pipeline.run(wake: wake, onBatch: onBatch)
        }
        guard catchesUpOnShutdown else { return }
        do {
            let last = try await pipeline.runUntilCaughtUp()
            logger.info("ETL stopped", metadata: ["final_batches": "\(last.batches)", "final_events": "\(last.events)"])
        } catch let error as WarehouseUnavailable {
            logger.warning("ETL stopped without its final batch: \(error); the events stay in the lake")
        }
    }
}
