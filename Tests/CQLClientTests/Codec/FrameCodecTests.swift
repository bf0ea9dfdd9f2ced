import NIOCore
import NIOEmbedded
import Testing

@testable import CQLClient

/// The 9-byte header and the channel handlers that frame bytes, for v4 and v5.
@Suite struct FrameCodecTests {
    @Test func headerFieldsRoundTrip() throws {
        let frame = CQLFrame(
            version: .v4, direction: .response, flags: [.tracing, .warning], streamID: -1,
            opcode: .event, body: ByteBuffer(hex: "0102")
        )
        var buffer = ByteBuffer()
        frame.write(to: &buffer)
        #expect(buffer.hex == normalizedHex("84 0a ffff 0c 00000002 0102"))
        #expect(try CQLFrame.read(from: &buffer) == frame)
    }

    @Test func incompleteFrameConsumesNothing() throws {
        var buffer = ByteBuffer(hex: "84 00 0001 02 00000002 01")
        #expect(try CQLFrame.read(from: &buffer) == nil)
        #expect(buffer.readableBytes == 10)
    }

    @Test func unknownOpcodeIsMalformed() {
        var buffer = ByteBuffer(hex: "84 00 0001 04 00000000")
        #expect(throws: CQLClientError.malformedMessage("unknown opcode 0x4")) {
            try CQLFrame.read(from: &buffer)
        }
    }

    @Test func bodyOverTheLimitIsRejected() {
        var buffer = ByteBuffer(hex: "84 00 0001 08 10000001")
        #expect(throws: CQLClientError.self) {
            try CQLFrame.read(from: &buffer)
        }
    }

    @Test func decoderReassemblesFramesSplitAcrossReads() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(CQLFrameDecoder()))
        try channel.writeInbound(ByteBuffer(hex: "84 00 0001 08"))
        #expect(try channel.readInbound(as: CQLFrame.self) == nil)
        try channel.writeInbound(ByteBuffer(hex: "00000004 00000001 84 00 0002 02 00000000"))
        #expect(try channel.readInbound(as: CQLFrame.self)?.streamID == 1)
        #expect(try channel.readInbound(as: CQLFrame.self)?.opcode == .ready)
        #expect(try channel.finish().isClean)
    }

    @Test func v5ChecksummedFrameOfOneEnvelope() throws {
        var out = ByteBuffer()
        ChecksummedFrame.write(payload: ByteBuffer(hex: "05 00 0000 05 00000000"), selfContained: true, to: &out)
        // 9 | 1 << 17 = 0x020009 little-endian, its CRC24, the payload, its CRC32 (both little-endian).
        #expect(out.hex == normalizedHex("090002 a4c8c1  05 00 0000 05 00000000  1086284d"))
    }

    @Test func v5SwitchesToChecksummedFramesAfterStartupAndItsAnswer() throws {
        let client = EmbeddedChannel()
        try client.pipeline.syncOperations.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
        try client.pipeline.syncOperations.addHandler(MessageToByteHandler(CQLFrameEncoder()))

        try client.writeOutbound(try CQLStartupMessage().frame(version: .v5, streamID: 0))
        let startup = try #require(try client.readOutbound(as: ByteBuffer.self))
        #expect(startup.getInteger(at: 0, as: UInt8.self) == 0x05)

        // READY, unframed, then a self-contained frame holding two envelopes: READY and a Void RESULT.
        try client.writeInbound(
            ByteBuffer(
                hex: """
                    85 00 0000 02 00000000
                    160002 9d04f9
                      85 00 0002 02 00000000
                      85 00 0003 08 00000004 00000001
                    c99cc8d6
                    """))
        #expect(try client.readInbound(as: CQLFrame.self)?.opcode == .ready)
        #expect(try client.readInbound(as: CQLFrame.self)?.streamID == 2)
        #expect(try client.readInbound(as: CQLFrame.self)?.streamID == 3)

        try client.writeOutbound(try CQLOptionsMessage().frame(version: .v5, streamID: 0))
        let options = try #require(try client.readOutbound(as: ByteBuffer.self))
        #expect(options.hex == normalizedHex("090002 a4c8c1  05 00 0000 05 00000000  1086284d"))
        #expect(try client.finish().isClean)
    }

    @Test func v5EnvelopeLargerThanOneFrameIsSplitAndReassembled() throws {
        let sender = EmbeddedChannel(handler: MessageToByteHandler(CQLFrameEncoder()))
        let receiver = EmbeddedChannel(handler: ByteToMessageHandler(CQLFrameDecoder()))
        // Take both ends through the STARTUP exchange, into the checksummed phase.
        try sender.writeOutbound(try CQLStartupMessage().frame(version: .v5, streamID: 0))
        _ = try sender.readOutbound(as: ByteBuffer.self)
        try receiver.writeInbound(ByteBuffer(hex: "85 00 0000 02 00000000"))
        _ = try receiver.readInbound(as: CQLFrame.self)

        let longQuery = String(repeating: "x", count: 200_000)
        let frame = try CQLQueryMessage(query: longQuery, parameters: CQLQueryParameters(consistency: .one))
            .frame(version: .v5, streamID: 9)
        try sender.writeOutbound(frame)
        var wire = try #require(try sender.readOutbound(as: ByteBuffer.self))
        let firstHeader = try #require(wire.getBytes(at: 0, length: 3))
        #expect(firstHeader == [0xff, 0xff, 0x01])

        // Feed the bytes in small pieces to exercise partial frames too.
        while wire.readableBytes > 0 {
            try receiver.writeInbound(wire.readSlice(length: min(wire.readableBytes, 4096))!)
        }
        #expect(try receiver.readInbound(as: CQLFrame.self) == frame)
        #expect(try receiver.readInbound(as: CQLFrame.self) == nil)
    }

    @Test func v5CorruptedPayloadFailsItsChecksum() throws {
        var buffer = ByteBuffer(hex: "090002 a4c8c1  05 00 0000 05 00000001  1086284d")
        #expect(throws: CQLClientError.checksumMismatch("frame payload CRC32")) {
            try ChecksummedFrame.read(from: &buffer)
        }
        var header = ByteBuffer(hex: "090002 a4c8c2")
        #expect(throws: CQLClientError.checksumMismatch("frame header CRC24")) {
            try ChecksummedFrame.read(from: &header)
        }
    }
}
