import ArgumentParser
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseLake
import JobPulseWarehouse

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the lake, the ETL's committed position and lag, the last batch, and the warehouse."
    )

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let directory = storage.dataDirectory()
        try await storage.withLake { lake in
            try await storage.withWarehouse { warehouse in
                try await report(directory: directory, lake: lake, warehouse: warehouse)
            }
        }
    }

    private func report(directory: String, lake: any EventLake, warehouse: any Warehouse) async throws {
        let lakeURL = try storage.lakeURL(dataDirectory: directory)
        let lakeEvents = try await lake.count(after: nil)
        let quarantined = try await lake.quarantine(limit: 0).total
        var size = ""
        if lakeURL.scheme == "sqlite", let bytes = try? FileManager.default.attributesOfItem(atPath: lakeURL.path)[.size] as? Int64 {
            size = ", \(grouped(bytes / 1024)) KiB"
        }
        let atLeast = lake.isLowerBound(lakeEvents) ? "at least " : ""
        print("lake       \(lakeURL): \(atLeast)\(grouped(lakeEvents)) events\(size), \(grouped(quarantined)) rejected rows in quarantine")
        print(
            "warehouse  \(try storage.warehouseURL(dataDirectory: directory)): \(grouped(try await warehouse.factCount())) events rows, \(grouped(try await warehouse.jobCount())) jobs"
        )
        guard let state = try await warehouse.state(source: lake.kind) else {
            print("etl        nothing committed yet: run `jobpulse etl`")
            return
        }
        let lag = try await lake.count(after: state.position.map(LakePosition.init))
        print(
            "etl        position \(state.position ?? "start"), lag \(lake.isLowerBound(lag) ? "at least " : "")\(grouped(lag)) events, \(grouped(state.batches)) batches"
        )
        print("           \(grouped(state.eventsTotal)) events = \(grouped(state.funnelTotal)) funnel + \(grouped(state.otherTotal)) other")
        if state.unusableTotal > 0 {
            print(
                "unusable   \(grouped(state.unusableTotal)) lake events the rules cannot read (counted as other); the last at position \(state.lastUnusablePosition ?? "?")"
            )
        }
        if let events = state.lastBatchEvents, let at = state.lastBatchAt {
            print("last batch \(at) UTC: \(grouped(events)) events, \(grouped(state.lastBatchGrains ?? 0)) grains, \(state.lastBatchMilliseconds ?? 0) ms")
        }
        if let newest = state.newestEventTime {
            let age = Double(WallClock.system.now - newest) / 1000
            print("data age   \(String(format: "%.1f", age)) s (newest committed event \(Timestamp.iso8601(newest)))")
        }
        if let owner = state.leaseOwner, let until = state.leaseExpiresAt, until > WallClock.system.now {
            print("lease      held by \(owner) until \(Timestamp.iso8601(until))")
        }
    }
}
