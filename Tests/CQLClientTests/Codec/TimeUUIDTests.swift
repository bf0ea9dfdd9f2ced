import Testing

@testable import CQLClient

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct TimeUUIDTests {
    /// At the Unix epoch, 122192928000000000 (0x01B21DD213814000) 100-ns intervals have passed
    /// since 1582-10-15: time_low 13814000, time_mid 1DD2, version 1 with time_high 1B2.
    @Test func theEpochIsReadFromItsFields() throws {
        let uuid = try #require(UUID(uuidString: "13814000-1DD2-11B2-8102-010203040506"))
        #expect(uuid.timeBasedDate == Date(timeIntervalSince1970: 0))
    }

    /// 2023-11-14T22:13:20.5Z is 1,700,000,000.5 s, 17,000,000,005,000,000 intervals, after the
    /// epoch; the fields hold the sum with the epoch's, low part first.
    @Test func aLaterInstantIsReadToTheInterval() throws {
        let intervals: UInt64 = 17_000_000_005_000_000 + 0x01B2_1DD2_1381_4000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: digits - text.count) + text
        }
        let text =
            hex(intervals & 0xFFFF_FFFF, 8) + "-" + hex(intervals >> 32 & 0xFFFF, 4) + "-1" + hex(intervals >> 48 & 0x0FFF, 3)
            + "-8000-000000000000"
        let uuid = try #require(UUID(uuidString: text))
        #expect(uuid.timeBasedDate == Date(timeIntervalSince1970: 1_700_000_000.5))
    }

    @Test func randomUUIDsHaveNoTimestamp() {
        #expect(UUID(uuidString: "00112233-4455-4677-8899-AABBCCDDEEFF")!.timeBasedDate == nil)
    }
}
