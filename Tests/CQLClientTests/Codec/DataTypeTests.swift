import NIOCore
import Testing

@testable import CQLClient

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Section 6 of the specification: each type's serialization, both directions.
/// Encodings are shown as the [value] that carries them (an [int] length, then the bytes).
@Suite struct DataTypeTests {
    static let uuid = UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")!
    static let timeUUID = UUID(uuidString: "13814000-1DD2-11B2-8000-010203040506")!

    /// (value, its type, the [value] bytes)
    static let cases: [(CQLValue, CQLDataType, String)] = [
        (.int(42), .int, "00000004 0000002a"),
        (.int(-1), .int, "00000004 ffffffff"),
        (.bigint(-2), .bigint, "00000008 fffffffffffffffe"),
        (.counter(3), .counter, "00000008 0000000000000003"),
        (.smallint(-2), .smallint, "00000002 fffe"),
        (.tinyint(5), .tinyint, "00000001 05"),
        (.double(1.5), .double, "00000008 3ff8000000000000"),
        (.float(-0.25), .float, "00000004 be800000"),
        (.text("héllo"), .varchar, "00000006 68c3a96c6c6f"),
        (.text(""), .varchar, "00000000"),
        (.ascii("abc"), .ascii, "00000003 616263"),
        (.timestamp(1_700_000_000_123), .timestamp, "00000008 0000018bcfe5687b"),
        (.date(0x8000_4a38), .date, "00000004 80004a38"),
        (.time(1_000_000_000), .time, "00000008 000000003b9aca00"),
        (.uuid(uuid), .uuid, "00000010 00112233445566778899aabbccddeeff"),
        (.timeuuid(timeUUID), .timeuuid, "00000010 138140001dd211b28000010203040506"),
        (.boolean(true), .boolean, "00000001 01"),
        (.boolean(false), .boolean, "00000001 00"),
        (.blob([0xde, 0xad, 0xbe, 0xef]), .blob, "00000004 deadbeef"),
        (.blob([]), .blob, "00000000"),
        (
            .textMap(["b": "2", "a": "1"]), .map(key: .varchar, value: .varchar),
            "00000018 00000002 00000001 61 00000001 31 00000001 62 00000001 32"
        ),
        (.list([.text("x"), .text("y")]), .list(.varchar), "0000000e 00000002 00000001 78 00000001 79"),
        (.set([.text("x")]), .set(.varchar), "00000009 00000001 00000001 78"),
        (.list([]), .list(.varchar), "00000004 00000000"),
        (.raw(type: .decimal, bytes: [0, 0, 0, 2, 0x30, 0x39]), .decimal, "00000006 00000002 3039"),
    ]

    @Test(arguments: cases)
    func encodes(value: CQLValue, type: CQLDataType, hex: String) throws {
        var buffer = ByteBuffer()
        try value.write(to: &buffer)
        #expect(buffer.hex == normalizedHex(hex))
    }

    @Test(arguments: cases)
    func decodes(value: CQLValue, type: CQLDataType, hex: String) throws {
        var buffer = ByteBuffer(hex: hex)
        let cell = try buffer.readCQLBytes("cell")
        #expect(try CQLValue.decode(cell, as: type) == value)
    }

    @Test func nullAndUnsetHaveNegativeLengths() throws {
        var buffer = ByteBuffer()
        try CQLValue.null.write(to: &buffer)
        try CQLValue.unset.write(to: &buffer)
        #expect(buffer.hex == normalizedHex("ffffffff fffffffe"))
        #expect(try CQLValue.decode(nil, as: .int) == .null)
    }

    @Test func emptyCellOfAFixedSizeTypeIsNull() throws {
        #expect(try CQLValue.decode(ByteBuffer(), as: .int) == .null)
        #expect(try CQLValue.decode(ByteBuffer(), as: .list(.varchar)) == .null)
    }

    @Test func anyNonZeroByteIsTrue() throws {
        #expect(try CQLValue.decode(ByteBuffer(hex: "02"), as: .boolean) == .boolean(true))
    }

    @Test func wrongSizeIsMalformed() {
        #expect(throws: CQLClientError.malformedMessage("int value of 3 bytes, expected 4")) {
            try CQLValue.decode(ByteBuffer(hex: "000001"), as: .int)
        }
    }

    @Test func asciiRejectsOtherCharacters() {
        var buffer = ByteBuffer()
        #expect(throws: CQLClientError.encodingFailed("ascii value contains non-ASCII characters")) {
            try CQLValue.ascii("é").write(to: &buffer)
        }
    }

    @Test func timestampFromDateIsInMilliseconds() {
        #expect(CQLValue.timestamp(Date(timeIntervalSince1970: 1_700_000_000.123_9)) == .timestamp(1_700_000_000_123))
        #expect(Date(cqlValue: .timestamp(1_500)) == Date(timeIntervalSince1970: 1.5))
    }

    @Test func swiftTypesConvertBothWays() {
        #expect("a".cqlValue == .text("a"))
        #expect(Int32(7).cqlValue == .int(7))
        #expect(Int64(7).cqlValue == .bigint(7))
        #expect(true.cqlValue == .boolean(true))
        #expect(2.5.cqlValue == .double(2.5))
        #expect(Self.uuid.cqlValue == .uuid(Self.uuid))
        #expect(["x", "y"].cqlValue == .list([.text("x"), .text("y")]))
        #expect(Optional<String>.none.cqlValue == .null)

        #expect(Int32(cqlValue: .int(7)) == 7)
        #expect(Int64(cqlValue: .int(7)) == 7)
        #expect(Int32(cqlValue: .bigint(Int64.max)) == nil)
        #expect(String(cqlValue: .ascii("a")) == "a")
        #expect(UUID(cqlValue: .timeuuid(Self.timeUUID)) == Self.timeUUID)
        #expect([String](cqlValue: .set([.text("x")])) == ["x"])
        #expect(Set<String>(cqlValue: .list([.text("x"), .text("x")])) == ["x"])
        #expect([String: String](cqlValue: .textMap(["k": "v"])) == ["k": "v"])
        #expect(Data(cqlValue: .blob([1, 2])) == Data([1, 2]))
        #expect(Int32?(cqlValue: .null) == .some(nil))
        #expect(Int32(cqlValue: .text("7")) == nil)
    }

    @Test func boundValuesAdaptToPreparedMarkerTypes() {
        #expect(CQLValue.int(7).adapted(to: .bigint) == .bigint(7))
        #expect(CQLValue.bigint(7).adapted(to: .int) == .int(7))
        #expect(CQLValue.bigint(Int64.max).adapted(to: .int) == .bigint(Int64.max))
        #expect(CQLValue.text("a").adapted(to: .ascii) == .ascii("a"))
        #expect(CQLValue.uuid(Self.uuid).adapted(to: .timeuuid) == .timeuuid(Self.uuid))
        #expect(CQLValue.list([.int(1)]).adapted(to: .set(.bigint)) == .set([.bigint(1)]))
        #expect(CQLValue.null.adapted(to: .int) == .null)
        #expect(CQLValue.text("a").adapted(to: .int) == .text("a"))
    }
}
