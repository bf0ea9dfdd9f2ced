import JobPulseLake
import JobPulseWarehouse
import Logging
import ServiceLifecycle

/// An open lake owned by a `ServiceGroup`: it does nothing while the group runs, and closes the
/// lake (a Cassandra lake's connection pool with it) when the group ends, however it ends:
/// graceful shutdown, another service's error, or cancellation. List it before the services
/// that use the lake: a group stops its services in reverse order, so it closes last.
public struct LakeService: Service {
    public let lake: any EventLake

    public init(lake: any EventLake) {
        self.lake = lake
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await lake.close()
    }
}

/// An open warehouse owned by a `ServiceGroup`, closed when the group ends (see ``LakeService``).
public struct WarehouseService: Service {
    public let warehouse: any Warehouse
    let logger: Logger

    public init(warehouse: any Warehouse, logger: Logger) {
        self.warehouse = warehouse
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        do {
            try await warehouse.close()
        } catch {
            logger.warning("closing the warehouse failed: \(error)")
        }
    }
}

/// Runs `body` with an open resource and closes it on every path, errors included: for the
/// commands that run once (import, status, migrate, `etl --once`).
public func withClosing<Resource, Result>(
    _ resource: Resource, close: (Resource) async throws -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        try? await close(resource)
        throw error
    }
    try await close(resource)
    return result
}
