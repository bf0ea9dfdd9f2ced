import JobPulseCore
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// `reprocess` computes every event's typed values again from its raw fields: it changes nothing
/// on a lake the current rules wrote, and puts back what differs.
@Suite struct ReprocessTests {
    @Test func reprocessRestoresTypedValuesFromTheRawFields() async throws {
        let store = try await TestStore()
        var generator = TrafficGenerator(seed: 5)
        let accepted = try await store.generate(&generator, count: 9_000).accepted
        #expect(try await store.lake.reprocess { _ in } == ReprocessReport(events: accepted, changed: 0))
        let expected = try await store.lake.readNormalized(after: nil, limit: .max)

        // Typed values that no longer match the raw fields, as after a change of the rules.
        let lakeFile = try SQLiteDatabase(path: store.directory.file("lake.db"))
        let altered = try await lakeFile.write { session in
            try session.execute("UPDATE tracking SET job_id = job_id + 1 WHERE position % 7 = 0")
                + session.execute("UPDATE tracking SET event_time = NULL, kind = 4 WHERE position % 7 = 3")
        }
        try await lakeFile.close()
        #expect(altered > 2_000)
        #expect(try await store.lake.readNormalized(after: nil, limit: .max).map(\.event) != expected.map(\.event))

        let progress = LockedCounter()
        let report = try await store.lake.reprocess { _ in progress.increment() }
        #expect(report == ReprocessReport(events: accepted, changed: altered))
        #expect(progress.value > 0)
        let restored = try await store.lake.readNormalized(after: nil, limit: .max)
        #expect(restored.map(\.event) == expected.map(\.event))
        #expect(try await store.lake.reprocess { _ in }.changed == 0)

        let cli = try await runJobPulse(["reprocess", "--data-dir", store.directory.path])
        #expect(cli.status == 0 && cli.output.contains(" events reprocessed, 0 typed differently"), "\(cli.output)")
    }
}
