import JobPulseCore
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The lake's column-wise encoding of raw events: exact round trips, and damaged bytes refused
/// with an error rather than read past or trusted.
@Suite struct RawEventChunkTests {
    static func sample() -> [RawEvent] {
        var generator = TrafficGenerator(seed: 11)
        var events = (0..<300).map { _ in
            (try? TrackingCSVLayout.standard.event(from: generator.nextRow(arrivingAt: 1_764_500_000_000)).get()) ?? RawEvent()
        }
        events[3].extra = ["utm_extra": "x", "empty": "", "ünïcode ✓": "\u{1F600}"]
        events[4] = RawEvent()
        events[5][.ua] = String(repeating: "é", count: 70_000)
        return events
    }

    @Test func eventsSurviveEncodingExactly() throws {
        let events = Self.sample()
        #expect(try RawEventChunk.decode(RawEventChunk.encode(events)) == events)
        #expect(try RawEventChunk.decode(RawEventChunk.encode([RawEvent]())).isEmpty)
    }

    /// Every prefix of a chunk, and every single-byte change in its first bytes, decodes to an
    /// error or to events: never a crash.
    @Test func damagedChunksAreErrors() throws {
        let encoded = RawEventChunk.encode(Array(Self.sample().prefix(20)))
        for length in stride(from: 0, to: encoded.count, by: 7) {
            #expect(throws: RawEventChunk.DecodingError.self) { try RawEventChunk.decode(encoded.prefix(length)) }
        }
        #expect(throws: RawEventChunk.DecodingError.self) { try RawEventChunk.decode(encoded + [0]) }
        for offset in 0..<min(encoded.count, 400) {
            var damaged = encoded
            damaged[offset] ^= 0xA5
            _ = try? RawEventChunk.decode(damaged)
        }
    }

    @Test func countsAndLengthsAreBoundedByTheInput() {
        // Version, then an event count of 5,000: more than a chunk may hold.
        var tooMany: [UInt8] = [RawEventChunk.version]
        RawEventChunk.appendVarint(5_000, to: &tooMany)
        #expect(throws: RawEventChunk.DecodingError.self) { try RawEventChunk.decode(tooMany) }
        // One event whose first field claims a gigabyte.
        var huge: [UInt8] = [RawEventChunk.version, 1]
        RawEventChunk.appendVarint(1 << 30, to: &huge)
        #expect { try RawEventChunk.decode(huge) } throws: { error in
            (error as? RawEventChunk.DecodingError)?.description.contains("create_time") == true
        }
        #expect(throws: RawEventChunk.DecodingError.self) { try RawEventChunk.decode([2, 0]) }
    }

    /// A write of large events is cut into chunks by their size as well as their number, and
    /// every event reads back whole.
    @Test func largeEventsAreChunkedBySize() async throws {
        let store = try await TestStore()
        let events = (0..<20).map { index in
            RawEvent.with([.ts: "2026-11-30 10:00:00", .id: "big-\(index)", .ua: String(repeating: "u", count: 1 << 20)])
        }
        try await store.lake.write(events, rejections: [])
        let lakeFile = try SQLiteDatabase(path: store.directory.file("lake.db"))
        let sizes = try await lakeFile.read { session in try session.query("SELECT events FROM raw_chunks ORDER BY first_position").map { try $0.int("events") }
        }
        try await lakeFile.close()
        #expect(sizes == [8, 8, 4])
        #expect(try await store.lake.read(after: nil, limit: 100).map(\.event) == events)
    }
}
