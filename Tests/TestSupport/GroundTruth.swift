import JobPulseCore
import JobPulseLake
import JobPulseWarehouse
import Testing

/// The warehouse a from-scratch aggregation of the whole lake gives: the ground truth that
/// every incremental run must end at.
package func groundTruth(of store: TestStore) async throws -> [Grain: GrainDelta] {
    try await groundTruth(lake: store.lake, warehouse: store.warehouse)
}

package func groundTruth(lake: any EventLake, warehouse: SQLWarehouse) async throws -> [Grain: GrainDelta] {
    let records = try await lake.read(after: nil, limit: Int.max)
    let aggregate = BatchAggregate.of(records.map(\.event)).aggregate
    let companies = try await warehouse.companyIDs(forJobs: Array(Set(aggregate.deltas.keys.map(\.jobID))))
    return Dictionary(
        uniqueKeysWithValues: aggregate.deltas.map {
            ($0.key, GrainDelta(grain: $0.key, metrics: $0.value, companyID: companies[$0.key.jobID]))
        })
}

/// Checks that the warehouse holds exactly the ground truth: the same grains, the same counts,
/// spend, derived spend_hour and bid_set, and company ids.
package func expectWarehouseEqualsGroundTruth(_ store: TestStore, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    try await expectWarehouseEqualsGroundTruth(lake: store.lake, warehouse: store.warehouse, sourceLocation: sourceLocation)
}

package func expectWarehouseEqualsGroundTruth(lake: any EventLake, warehouse: SQLWarehouse, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let truth = try await groundTruth(lake: lake, warehouse: warehouse)
    let facts = try await warehouse.facts()
    #expect(facts.count == truth.count, "warehouse rows vs grains in the lake", sourceLocation: sourceLocation)
    var mismatches = 0
    for fact in facts {
        guard let expected = truth[fact.grain] else {
            mismatches += 1
            continue
        }
        if fact.metrics != expected.metrics || fact.companyID != expected.companyID
            || fact.spendHour != expected.metrics.spend || fact.bidSet != expected.metrics.averageBid
        {
            mismatches += 1
        }
    }
    #expect(mismatches == 0, "\(mismatches) warehouse rows differ from a from-scratch aggregation", sourceLocation: sourceLocation)
    let state = try await warehouse.state(source: lake.kind)
    let lakeCount = try await lake.count(after: nil)
    #expect(state?.eventsTotal == Int64(lakeCount), "every lake event accounted once", sourceLocation: sourceLocation)
    #expect(state.map { $0.funnelTotal + $0.otherTotal } == state?.eventsTotal, sourceLocation: sourceLocation)
}
