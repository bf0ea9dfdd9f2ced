import Foundation
import JobPulseComposition
import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Who closes the lake and the warehouse: the services that own them in a `ServiceGroup`, when
/// the group shuts down and when another service fails; `withClosing` for one-shot commands.
@Suite struct ResourceOwnershipTests {
    @Test func theOwningServicesCloseOnGracefulShutdown() async throws {
        let store = try await TestStore()
        let lake = CloseRecordingLake(base: store.lake)
        let group = ServiceGroup(
            services: [LakeService(lake: lake.lake), WarehouseService(warehouse: store.warehouse, logger: Logger(label: "test"))],
            logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(50))
            #expect(lake.closes == 0, "nothing closes while the group runs")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(lake.closes == 1)
        await #expect(throws: (any Error).self, "the warehouse's database is closed") { try await store.warehouse.factCount() }
    }

    @Test func theOwningServicesCloseWhenAnotherServiceFails() async throws {
        let store = try await TestStore()
        let lake = CloseRecordingLake(base: store.lake)
        let group = ServiceGroup(
            services: [
                LakeService(lake: lake.lake), WarehouseService(warehouse: store.warehouse, logger: Logger(label: "test")),
                FailingService(),
            ],
            logger: Logger(label: "test"))
        await #expect(throws: FailingService.Failure.self) { try await group.run() }
        #expect(lake.closes == 1)
        await #expect(throws: (any Error).self) { try await store.warehouse.factCount() }
    }

    @Test func withClosingClosesOnEveryPath() async throws {
        let store = try await TestStore()
        let lake = CloseRecordingLake(base: store.lake)
        let count = try await withClosing(lake.lake, close: { await $0.close() }) { try await $0.count(after: nil) }
        #expect(count == 0 && lake.closes == 1)
        await #expect(throws: FailingService.Failure.self) {
            try await withClosing(lake.lake, close: { await $0.close() }) { _ in throw FailingService.Failure() }
        }
        #expect(lake.closes == 2)
    }
}

private struct FailingService: Service {
    struct Failure: Error {}

    func run() async throws {
        try await Task.sleep(for: .milliseconds(20))
        throw Failure()
    }
}

/// A lake that counts how often it was closed, and otherwise is `base`.
private struct CloseRecordingLake {
    let closed = LockedCounter()
    let lake: HookedLake

    init(base: any EventLake) {
        let closed = self.closed
        lake = HookedLake(base: base, closing: { closed.increment() })
    }

    var closes: Int { closed.value }
}
