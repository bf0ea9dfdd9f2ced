import NIOCore
import Testing

@testable import CQLClient

/// ERROR bodies for each error code of the specification: [int] code, [string] message, extra fields.
@Suite struct ErrorDecodingTests {
    @Test(arguments: [
        ("00000000 0004 626f6f6d", CQLServerError.serverError(message: "boom")),
        ("0000000a 0001 78", .protocolError(message: "x")),
        ("00000100 0001 78", .authenticationError(message: "x")),
        ("00001001 0001 78", .overloaded(message: "x")),
        ("00001002 0001 78", .isBootstrapping(message: "x")),
        ("00001003 0001 78", .truncateError(message: "x")),
        ("00001600 0001 78", .cdcWriteFailure(message: "x")),
        ("00002000 0001 78", .syntaxError(message: "x")),
        ("00002100 0001 78", .unauthorized(message: "x")),
        ("00002200 0001 78", .invalid(message: "x")),
        ("00002300 0001 78", .configError(message: "x")),
        ("00009999 0001 78", .unknown(code: 0x9999, message: "x")),
    ])
    func errorsWithOnlyAMessage(body: String, expected: CQLServerError) throws {
        #expect(try decodeError(body) == expected)
    }

    @Test func unavailableCarriesConsistencyRequiredAndAlive() throws {
        let error = try decodeError("00001000 0001 78  0004 00000003 00000001")
        #expect(error == .unavailable(message: "x", consistency: .quorum, required: 3, alive: 1))
        #expect(error.code == 0x1000)
        #expect(error.message == "x")
    }

    @Test func writeTimeoutCarriesTheWriteType() throws {
        let error = try decodeError("00001100 0001 78  0006 00000001 00000002 000e 554e4c4f474745445f4241544348")
        #expect(
            error
                == .writeTimeout(
                    message: "x", consistency: .localQuorum, received: 1, blockFor: 2,
                    writeType: .unloggedBatch, contentions: nil
                ))
    }

    @Test func v5WriteTimeoutOfACASWriteCarriesContentions() throws {
        let error = try decodeError("00001100 0001 78  0008 00000000 00000002 0003 434153 0005", version: .v5)
        #expect(
            error
                == .writeTimeout(
                    message: "x", consistency: .serial, received: 0, blockFor: 2, writeType: .cas, contentions: 5
                ))
    }

    @Test func readTimeoutCarriesDataPresent() throws {
        let error = try decodeError("00001200 0001 78  0001 00000000 00000001 00")
        #expect(error == .readTimeout(message: "x", consistency: .one, received: 0, blockFor: 1, dataPresent: false))
    }

    @Test func v4ReadFailureCountsFailures() throws {
        let error = try decodeError("00001300 0001 78  0001 00000001 00000002 00000001 01")
        #expect(
            error
                == .readFailure(
                    message: "x", consistency: .one, received: 1, blockFor: 2,
                    failures: CQLReplicaFailures(count: 1), dataPresent: true
                ))
    }

    @Test func v5ReadFailureMapsReplicasToReasons() throws {
        let error = try decodeError("00001300 0001 78  0001 00000001 00000002  00000001 04 0a000001 0001  01", version: .v5)
        #expect(
            error
                == .readFailure(
                    message: "x", consistency: .one, received: 1, blockFor: 2,
                    failures: CQLReplicaFailures(count: 1, reasons: [.init(address: "10.0.0.1", code: 1)]),
                    dataPresent: true
                ))
    }

    @Test func functionFailureNamesTheFunction() throws {
        let error = try decodeError("00001400 0001 78  0002 6b73 0001 66 0001 0003 696e74")
        #expect(error == .functionFailure(message: "x", keyspace: "ks", function: "f", argumentTypes: ["int"]))
    }

    @Test func v4WriteFailureCountsFailuresAndNamesTheWriteType() throws {
        let error = try decodeError("00001500 0001 78  0004 00000001 00000002 00000001 0006 53494d504c45")
        #expect(
            error
                == .writeFailure(
                    message: "x", consistency: .quorum, received: 1, blockFor: 2,
                    failures: CQLReplicaFailures(count: 1), writeType: .simple
                ))
    }

    @Test func v5WriteFailureMapsReplicasToReasons() throws {
        let error = try decodeError(
            """
            00001500 0001 78  0004 00000001 00000002
            00000001 10 00000000000000000000000000000001 0002
            0006 53494d504c45
            """, version: .v5)
        #expect(
            error
                == .writeFailure(
                    message: "x", consistency: .quorum, received: 1, blockFor: 2,
                    failures: CQLReplicaFailures(count: 1, reasons: [.init(address: "::1", code: 2)]),
                    writeType: .simple
                ))
    }

    @Test func casWriteUnknownCarriesCounts() throws {
        let error = try decodeError("00001700 0001 78  0009 00000001 00000002", version: .v5)
        #expect(error == .casWriteUnknown(message: "x", consistency: .localSerial, received: 1, blockFor: 2))
    }

    @Test func alreadyExistsNamesKeyspaceAndTable() throws {
        let error = try decodeError("00002400 0001 78  0002 6b73 0000")
        #expect(error == .alreadyExists(message: "x", keyspace: "ks", table: ""))
    }

    @Test func unpreparedCarriesTheUnknownID() throws {
        let error = try decodeError("00002500 0001 78  0004 01020304")
        #expect(error == .unprepared(message: "x", id: [1, 2, 3, 4]))
        #expect(error.code == 0x2500)
    }

    @Test func anErrorFrameDecodesAsAnErrorMessage() throws {
        let response = try decodeResponse("84 00 0001 00 0000000a 00002200 0004 6e6f7065")
        guard case .error(let error) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
        #expect(error == .invalid(message: "nope"))
    }

    private func decodeError(_ bodyHex: String, version: CQLProtocolVersion = .v4) throws -> CQLServerError {
        let frame = CQLFrame(
            version: version, direction: .response, streamID: 1, opcode: .error, body: ByteBuffer(hex: bodyHex)
        )
        guard case .error(let error) = try CQLResponse(decoding: frame).message else {
            throw CQLClientError.unexpectedResult("not an error")
        }
        return error
    }
}
