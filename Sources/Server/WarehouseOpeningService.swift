import JobPulseWarehouse
import Logging
import ServiceLifecycle

/// Opens a ``WarehouseOpenedInBackground`` beside the HTTP server, retrying with backoff, and
/// logs each failure (the error text never holds a password: URLs are shown redacted).
struct WarehouseOpeningService: Service {
    let warehouse: WarehouseOpenedInBackground
    let logger: Logger

    func run() async throws {
        let (warehouse, logger) = (self.warehouse, self.logger)
        await cancelWhenGracefulShutdown {
            await warehouse.keepOpening { unavailable, wait in
                logger.warning("\(unavailable); retrying in \(wait)")
            }
        }
        if warehouse.isOpen { logger.info("warehouse open", metadata: ["warehouse": "\(warehouse.location)"]) }
        // A service that returns early would end the whole group; this one stays until shutdown.
        try? await gracefulShutdown()
    }
}
