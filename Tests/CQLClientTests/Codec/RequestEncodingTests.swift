import NIOCore
import Testing

@testable import CQLClient

/// Every request message, encoded and compared with frames written from the specification.
@Suite struct RequestEncodingTests {
    @Test func startupCarriesTheCQLVersionInAStringMap() throws {
        let hex = try encodedRequest(CQLStartupMessage(), streamID: 1)
        #expect(
            hex
                == normalizedHex(
                    """
                    04 00 0001 01 00000016
                    0001
                      000b 43514c5f56455253494f4e
                      0005 332e302e30
                    """))
    }

    @Test func optionsHasAnEmptyBody() throws {
        #expect(try encodedRequest(CQLOptionsMessage(), streamID: 0) == normalizedHex("04 00 0000 05 00000000"))
    }

    @Test func authResponseCarriesTheSASLPlainToken() throws {
        let authenticator = CQLPasswordAuthenticator(username: "cassandra", password: "cassandra")
        let token = try authenticator.initialResponse(authenticator: "org.apache.cassandra.auth.PasswordAuthenticator")
        let hex = try encodedRequest(CQLAuthResponseMessage(token: token), streamID: 2)
        #expect(
            hex
                == normalizedHex(
                    """
                    04 00 0002 0f 00000018
                    00000014 00 63617373616e647261 00 63617373616e647261
                    """))
    }

    @Test func queryWithoutParameters() throws {
        let message = CQLQueryMessage(query: "SELECT 1", parameters: CQLQueryParameters(consistency: .one))
        #expect(
            try encodedRequest(message, streamID: 3)
                == normalizedHex(
                    """
                    04 00 0003 07 0000000f
                    00000008 53454c4543542031
                    0001 00
                    """))
    }

    @Test func queryWithEveryParameter() throws {
        let message = CQLQueryMessage(query: "SELECT ?", parameters: Self.everyParameter)
        #expect(
            try encodedRequest(message, streamID: 5)
                == normalizedHex(
                    """
                    04 00 0005 07 00000035
                    00000008 53454c454354203f
                    0004 3d
                    0003 00000004 0000002a ffffffff fffffffe
                    00000064
                    00000002 cafe
                    0009
                    0102030405060708
                    """))
    }

    @Test func v5QueryFlagsAreAnInt() throws {
        let message = CQLQueryMessage(query: "SELECT ?", parameters: Self.everyParameter)
        #expect(
            try encodedRequest(message, version: .v5, streamID: 5)
                == normalizedHex(
                    """
                    05 00 0005 07 00000038
                    00000008 53454c454354203f
                    0004 0000003d
                    0003 00000004 0000002a ffffffff fffffffe
                    00000064
                    00000002 cafe
                    0009
                    0102030405060708
                    """))
    }

    @Test func prepareV4IsTheQueryText() throws {
        #expect(
            try encodedRequest(CQLPrepareMessage(query: "SELECT ?"), streamID: 4)
                == normalizedHex(
                    """
                    04 00 0004 09 0000000c
                    00000008 53454c454354203f
                    """))
    }

    @Test func prepareV5AddsEmptyFlags() throws {
        #expect(
            try encodedRequest(CQLPrepareMessage(query: "SELECT ?"), version: .v5, streamID: 4)
                == normalizedHex(
                    """
                    05 00 0004 09 00000010
                    00000008 53454c454354203f
                    00000000
                    """))
    }

    @Test func executeV4() throws {
        let message = CQLExecuteMessage(
            id: [1, 2, 3, 4],
            parameters: CQLQueryParameters(consistency: .one, values: [.text("hi")])
        )
        #expect(
            try encodedRequest(message, streamID: 6)
                == normalizedHex(
                    """
                    04 00 0006 0a 00000011
                    0004 01020304
                    0001 01
                    0001 00000002 6869
                    """))
    }

    @Test func executeV5CarriesTheResultMetadataID() throws {
        let message = CQLExecuteMessage(
            id: [1, 2, 3, 4],
            resultMetadataID: [0xaa, 0xbb],
            parameters: CQLQueryParameters(consistency: .one, values: [.text("hi")])
        )
        #expect(
            try encodedRequest(message, version: .v5, streamID: 6)
                == normalizedHex(
                    """
                    05 00 0006 0a 00000018
                    0004 01020304
                    0002 aabb
                    0001 00000001
                    0001 00000002 6869
                    """))
    }

    @Test func unloggedBatchOfSimpleAndPreparedStatements() throws {
        let message = CQLBatchMessage(
            kind: .unlogged,
            statements: [
                .query("INSERT ?", values: [.bigint(7)]),
                .prepared(id: [0x0a, 0x0b], values: [.text("x")]),
            ],
            consistency: .quorum
        )
        #expect(
            try encodedRequest(message, streamID: 7)
                == normalizedHex(
                    """
                    04 00 0007 0d 0000002d
                    01
                    0002
                    00 00000008 494e53455254203f 0001 00000008 0000000000000007
                    01 0002 0a0b 0001 00000001 78
                    0004 00
                    """))
    }

    @Test func v5BatchWithSerialConsistencyAndTimestamp() throws {
        let message = CQLBatchMessage(
            kind: .unlogged,
            statements: [
                .query("INSERT ?", values: [.bigint(7)]),
                .prepared(id: [0x0a, 0x0b], values: [.text("x")]),
            ],
            consistency: .quorum,
            serialConsistency: .serial,
            defaultTimestamp: 1
        )
        #expect(
            try encodedRequest(message, version: .v5, streamID: 7)
                == normalizedHex(
                    """
                    05 00 0007 0d 0000003a
                    01
                    0002
                    00 00000008 494e53455254203f 0001 00000008 0000000000000007
                    01 0002 0a0b 0001 00000001 78
                    0004 00000030
                    0008
                    0000000000000001
                    """))
    }

    @Test func authResponseNeverShowsItsToken() {
        let message = CQLAuthResponseMessage(token: Array("\u{0}user\u{0}secret".utf8))
        #expect(!String(describing: message).contains("secret"))
        #expect(!String(reflecting: message).contains("secret"))
        var dumped = ""
        dump(message, to: &dumped)
        #expect(!dumped.contains("secret"))
    }

    private static let everyParameter = CQLQueryParameters(
        consistency: .quorum,
        values: [.int(42), .null, .unset],
        pageSize: 100,
        pagingState: CQLPagingState(bytes: [0xca, 0xfe]),
        serialConsistency: .localSerial,
        defaultTimestamp: 0x0102_0304_0506_0708
    )
}
