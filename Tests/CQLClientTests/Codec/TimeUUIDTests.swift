#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import CQLClient

@Suite struct TimeUUIDTests {
    /// At the Unix epoch, 122192928000000000 (0x01B21DD213814000) 100-ns intervals have passed
    /// since 1582-10-15: time_low 13814000, time_mid 1DD2, version 1 with time_high 1B2.
    @Test func fieldsAreLaidOutAsVersionOne() {
        let uuid = UUID.timeBased(intervals: 0x01B2_1DD2_1381_4000, clockSequence: 0x0102, node: [1, 2, 3, 4, 5, 6])
        #expect(uuid.uuidString == "13814000-1DD2-11B2-8102-010203040506")
        #expect(uuid.timeBasedDate == Date(timeIntervalSince1970: 0))
    }

    @Test func generatedUUIDsCarryTheirDate() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.5)
        let uuid = UUID.timeBased(at: date)
        let bytes = uuid.uuid
        #expect(bytes.6 >> 4 == 1)
        #expect(bytes.8 & 0xC0 == 0x80)
        let decoded = try #require(uuid.timeBasedDate)
        #expect(abs(decoded.timeIntervalSince(date)) < 0.001)
    }

    @Test func generatedUUIDsAreUniqueForTheSameInstant() {
        let date = Date()
        let uuids = (0..<1000).map { _ in UUID.timeBased(at: date) }
        #expect(Set(uuids).count == 1000)
    }

    @Test func anOlderDateKeepsItsTimestamp() throws {
        _ = UUID.timeBased()
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        let uuid = UUID.timeBased(at: past)
        #expect(try #require(uuid.timeBasedDate) == past)
    }

    @Test func randomUUIDsHaveNoTimestamp() {
        #expect(UUID(uuidString: "00112233-4455-4677-8899-AABBCCDDEEFF")!.timeBasedDate == nil)
    }
}
