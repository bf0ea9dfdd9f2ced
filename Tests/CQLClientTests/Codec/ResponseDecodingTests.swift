import NIOCore
import Testing

@testable import CQLClient

/// Every response message, decoded from frames written from the specification.
@Suite struct ResponseDecodingTests {
    @Test func ready() throws {
        let response = try decodeResponse("84 00 0001 02 00000000")
        guard case .ready = response.message else {
            Issue.record("got \(response.message)")
            return
        }
    }

    @Test func authenticateNamesTheAuthenticator() throws {
        let response = try decodeResponse(
            """
            84 00 0001 03 00000031
            002f 6f72672e6170616368652e63617373616e6472612e617574682e50617373776f726441757468656e74696361746f72
            """)
        guard case .authenticate(let authenticator) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
        #expect(authenticator == "org.apache.cassandra.auth.PasswordAuthenticator")
    }

    @Test func supportedIsAStringMultimap() throws {
        let response = try decodeResponse(
            """
            84 00 0000 06 00000034
            0002
              000b 43514c5f56455253494f4e   0001 0005 332e302e30
              000b 434f4d5052455353494f4e   0002 0003 6c7a34 0006 736e61707079
            """)
        guard case .supported(let options) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
        #expect(options == ["CQL_VERSION": ["3.0.0"], "COMPRESSION": ["lz4", "snappy"]])
    }

    @Test func authChallengeAndAuthSuccessCarryTokens() throws {
        let challenge = try decodeResponse("84 00 0002 0e 00000007 00000003 010203")
        guard case .authChallenge(let token) = challenge.message else {
            Issue.record("got \(challenge.message)")
            return
        }
        #expect(token == [1, 2, 3])

        let success = try decodeResponse("84 00 0003 10 00000004 ffffffff")
        guard case .authSuccess(let finalToken) = success.message else {
            Issue.record("got \(success.message)")
            return
        }
        #expect(finalToken == nil)
    }

    @Test func voidResult() throws {
        let response = try decodeResponse("84 00 0004 08 00000004 00000001")
        guard case .result(.void) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
    }

    @Test func setKeyspaceResult() throws {
        let response = try decodeResponse("84 00 0004 08 00000008 00000003 0002 6b73")
        guard case .result(.setKeyspace(let keyspace)) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
        #expect(keyspace == "ks")
    }

    @Test func rowsWithGlobalTableSpecAndPagingState() throws {
        let rows = try rowsResult(
            """
            84 00 0005 08 0000004a
            00000002
            00000003 00000002
            00000002 7031
            0002 6b73 0005 7573657273
            0002 6964 0009
            0004 6e616d65 000d
            00000002
            00000004 00000001   00000003 616e6e
            00000004 00000002   ffffffff
            """)
        #expect(
            rows.columns == [
                CQLColumn(keyspace: "ks", table: "users", name: "id", type: .int),
                CQLColumn(keyspace: "ks", table: "users", name: "name", type: .varchar),
            ])
        #expect(rows.pagingState == CQLPagingState(bytes: Array("p1".utf8)))
        #expect(rows.rows.map(\.values) == [[.int(1), .text("ann")], [.int(2), .null]])
    }

    @Test func rowsWithPerColumnTableSpecsAndCollectionTypes() throws {
        let rows = try rowsResult(
            """
            84 00 0005 08 00000052
            00000002
            00000000 00000002
            0002 6b73 0001 74   0001 6d   0021 000d 000d
            0002 6b73 0001 74   0001 6c   0020 000d
            00000001
            0000000e 00000001 00000001 61 00000001 62
            0000000e 00000002 00000001 78 00000001 79
            """)
        #expect(
            rows.columns == [
                CQLColumn(keyspace: "ks", table: "t", name: "m", type: .map(key: .varchar, value: .varchar)),
                CQLColumn(keyspace: "ks", table: "t", name: "l", type: .list(.varchar)),
            ])
        #expect(rows.pagingState == nil)
        #expect(
            rows.rows.first?.values == [
                .map([CQLMapEntry(key: .text("a"), value: .text("b"))]),
                .list([.text("x"), .text("y")]),
            ])
    }

    @Test func rowsWithNestedAndUserDefinedTypeDescriptions() throws {
        let rows = try rowsResult(
            """
            84 00 0005 08 00000041
            00000002
            00000001 00000003
            0002 6b73 0001 74
            0001 61 0022 0013
            0001 62 0031 0002 0014 0000 0003 6f2e78
            0001 63 0030 0002 6b73 0001 75 0001 0001 66 0010
            00000000
            """)
        #expect(
            rows.columns.map(\.type) == [
                .set(.smallint),
                .tuple([.tinyint, .custom("o.x")]),
                .udt(keyspace: "ks", name: "u", fields: [CQLUDTField(name: "f", type: .inet)]),
            ])
        #expect(rows.rows.isEmpty)
    }

    @Test func preparedResultV4() throws {
        let prepared = try preparedResult(
            """
            84 00 0006 08 0000004d
            00000004
            0004 01020304
            00000001 00000002
            00000001 0000
            0002 6b73 0005 7573657273
            0002 6964 0009
            0004 6e616d65 000d
            00000001 00000001
            0002 6b73 0005 7573657273
            0005 656d61696c 000d
            """)
        #expect(prepared == Self.expectedPrepared(resultMetadataID: nil, partitionKeyIndexes: [0]))
    }

    @Test func preparedResultV3HasNoPartitionKeyIndexes() throws {
        let prepared = try preparedResult(
            """
            83 00 0006 08 00000047
            00000004
            0004 01020304
            00000001 00000002
            0002 6b73 0005 7573657273
            0002 6964 0009
            0004 6e616d65 000d
            00000001 00000001
            0002 6b73 0005 7573657273
            0005 656d61696c 000d
            """)
        #expect(prepared == Self.expectedPrepared(resultMetadataID: nil, partitionKeyIndexes: []))
    }

    @Test func preparedResultV5CarriesAResultMetadataID() throws {
        let prepared = try preparedResult(
            """
            85 00 0006 08 00000051
            00000004
            0004 01020304
            0002 aabb
            00000001 00000002
            00000001 0000
            0002 6b73 0005 7573657273
            0002 6964 0009
            0004 6e616d65 000d
            00000001 00000001
            0002 6b73 0005 7573657273
            0005 656d61696c 000d
            """)
        #expect(prepared == Self.expectedPrepared(resultMetadataID: [0xaa, 0xbb], partitionKeyIndexes: [0]))
    }

    @Test func preparedResultWithoutResultMetadata() throws {
        let prepared = try preparedResult(
            """
            84 00 0006 08 0000002a
            00000004
            0004 01020304
            00000001 00000001
            00000000
            0002 6b73 0001 74
            0001 6b 0002
            00000004 00000000
            """)
        #expect(prepared.bindMarkers == [CQLColumn(keyspace: "ks", table: "t", name: "k", type: .bigint)])
        #expect(prepared.resultColumns.isEmpty)
    }

    @Test func schemaChangeResults() throws {
        let table = try schemaChange(
            """
            84 00 0007 08 0000001f
            00000005
            0007 43524541544544 0005 5441424c45 0002 6b73 0005 7573657273
            """)
        #expect(table == CQLSchemaChange(change: .created, target: .table, keyspace: "ks", name: "users"))

        let keyspace = try schemaChange(
            """
            84 00 0007 08 0000001b
            00000005
            0007 44524f50504544 0008 4b45595350414345 0002 6b73
            """)
        #expect(keyspace == CQLSchemaChange(change: .dropped, target: .keyspace, keyspace: "ks"))

        let function = try schemaChange(
            """
            84 00 0007 08 0000002b
            00000005
            0007 55504441544544 0008 46554e4354494f4e 0002 6b73 0001 66
            0002 0003 696e74 0004 74657874
            """)
        #expect(
            function
                == CQLSchemaChange(
                    change: .updated, target: .function, keyspace: "ks", name: "f", argumentTypes: ["int", "text"]
                ))
    }

    @Test func eventOnStreamMinusOne() throws {
        var buffer = ByteBuffer(
            hex: """
                84 00 ffff 0c 0000001c
                000d 5354415455535f4348414e4745
                0002 5550
                04 7f000001 00002352
                """)
        let frame = try #require(try CQLFrame.read(from: &buffer))
        #expect(frame.streamID == -1)
        guard case .event(let type) = try CQLResponse(decoding: frame).message else {
            Issue.record("not an event")
            return
        }
        #expect(type == "STATUS_CHANGE")
    }

    @Test func tracingIDAndWarningsPrecedeTheMessage() throws {
        let response = try decodeResponse(
            """
            84 0a 0008 08 0000001c
            00112233445566778899aabbccddeeff
            0001 0004 7761726e
            00000001
            """)
        #expect(response.tracingID?.uuidString == "00112233-4455-6677-8899-AABBCCDDEEFF")
        #expect(response.warnings == ["warn"])
        guard case .result(.void) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
    }

    @Test func customPayloadIsSkipped() throws {
        let response = try decodeResponse(
            """
            84 04 0008 08 0000000f
            0001 0001 6b 00000002 0102
            00000001
            """)
        guard case .result(.void) = response.message else {
            Issue.record("got \(response.message)")
            return
        }
    }

    @Test func truncatedBodyIsAMalformedMessage() {
        #expect(throws: CQLClientError.malformedMessage("body ended while reading keyspace")) {
            try decodeResponse("84 00 0004 08 00000006 00000003 0002")
        }
    }

    @Test func requestOpcodeInAResponseIsRejected() {
        #expect(throws: CQLClientError.unexpectedResponse(.query)) {
            try decodeResponse("84 00 0004 07 00000000")
        }
    }

    private func rowsResult(_ hex: String) throws -> CQLRows {
        let response = try decodeResponse(hex)
        guard case .result(.rows(let rows)) = response.message else {
            throw CQLClientError.unexpectedResult("\(response.message)")
        }
        return rows
    }

    private func preparedResult(_ hex: String) throws -> CQLPreparedResult {
        let response = try decodeResponse(hex)
        guard case .result(.prepared(let prepared)) = response.message else {
            throw CQLClientError.unexpectedResult("\(response.message)")
        }
        return prepared
    }

    private func schemaChange(_ hex: String) throws -> CQLSchemaChange {
        let response = try decodeResponse(hex)
        guard case .result(.schemaChange(let change)) = response.message else {
            throw CQLClientError.unexpectedResult("\(response.message)")
        }
        return change
    }

    private static func expectedPrepared(resultMetadataID: [UInt8]?, partitionKeyIndexes: [UInt16]) -> CQLPreparedResult {
        CQLPreparedResult(
            id: [1, 2, 3, 4],
            resultMetadataID: resultMetadataID,
            bindMarkers: [
                CQLColumn(keyspace: "ks", table: "users", name: "id", type: .int),
                CQLColumn(keyspace: "ks", table: "users", name: "name", type: .varchar),
            ],
            partitionKeyIndexes: partitionKeyIndexes,
            resultColumns: [CQLColumn(keyspace: "ks", table: "users", name: "email", type: .varchar)]
        )
    }
}
