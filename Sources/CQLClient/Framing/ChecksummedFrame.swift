import NIOCore

/// The uncompressed outer frame of protocol v5, which carries envelopes (``CQLFrame``s)
/// after the STARTUP exchange. All its integers are little-endian.
///
///     3 bytes  payload length (17 bits) | self-contained flag (bit 17) | padding
///     3 bytes  CRC-24 of the 3 bytes above
///     n bytes  payload
///     4 bytes  CRC-32 of the payload
///
/// A self-contained frame holds whole envelopes; otherwise it holds one slice of
/// a single envelope too large for one frame.
enum ChecksummedFrame {
    static let headerLength = 6
    static let trailerLength = 4
    static let maximumPayloadLength = (1 << 17) - 1

    static func write(payload: ByteBuffer, selfContained: Bool, to out: inout ByteBuffer) {
        precondition(payload.readableBytes <= maximumPayloadLength)
        let header = UInt32(payload.readableBytes) | (selfContained ? 1 << 17 : 0)
        let headerBytes = littleEndianBytes(header, count: 3)
        out.writeBytes(headerBytes)
        out.writeBytes(littleEndianBytes(FrameChecksums.crc24(headerBytes), count: 3))
        out.writeImmutableBuffer(payload)
        out.writeBytes(littleEndianBytes(FrameChecksums.crc32(payload.readableBytesView), count: 4))
    }

    /// Reads one frame, or returns nil (consuming nothing) when it has not fully arrived.
    static func read(from buffer: inout ByteBuffer) throws -> (payload: ByteBuffer, selfContained: Bool)? {
        guard let headerBytes = buffer.getBytes(at: buffer.readerIndex, length: headerLength) else {
            return nil
        }
        let header = littleEndianValue(headerBytes[0..<3])
        let expectedHeaderCRC = littleEndianValue(headerBytes[3..<6])
        guard FrameChecksums.crc24(headerBytes[0..<3]) == expectedHeaderCRC else {
            throw CQLClientError.checksumMismatch("frame header CRC24")
        }
        let payloadLength = Int(header & 0x1_FFFF)
        guard buffer.readableBytes >= headerLength + payloadLength + trailerLength else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: headerLength)
        let payload = buffer.readSlice(length: payloadLength)!
        let expectedPayloadCRC = littleEndianValue(buffer.readBytes(length: trailerLength)![...])
        guard FrameChecksums.crc32(payload.readableBytesView) == expectedPayloadCRC else {
            throw CQLClientError.checksumMismatch("frame payload CRC32")
        }
        return (payload, header & (1 << 17) != 0)
    }

    private static func littleEndianBytes(_ value: UInt32, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func littleEndianValue(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
