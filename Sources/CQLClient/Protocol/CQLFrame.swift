import NIOCore

/// Whether a frame travels from client to server or back; the high bit of the version byte.
public enum CQLFrameDirection: Sendable, Hashable {
    case request
    case response
}

/// One protocol frame (called an "envelope" in v5): a 9-byte header and a body.
///
/// Header layout, big-endian: version (1 byte, high bit = direction), flags (1),
/// stream id (2, signed), opcode (1), body length (4).
public struct CQLFrame: Sendable, Equatable {
    /// Size of the fixed header.
    public static let headerLength = 9
    /// Largest body the protocol allows (256 MiB).
    public static let maximumBodyLength = 256 * 1024 * 1024

    public var version: CQLProtocolVersion
    public var direction: CQLFrameDirection
    public var flags: CQLFrameFlags
    /// Pairs a response with its request; negative ids are used by the server for events.
    public var streamID: Int16
    public var opcode: CQLOpcode
    public var body: ByteBuffer

    public init(
        version: CQLProtocolVersion,
        direction: CQLFrameDirection,
        flags: CQLFrameFlags = [],
        streamID: Int16,
        opcode: CQLOpcode,
        body: ByteBuffer
    ) {
        self.version = version
        self.direction = direction
        self.flags = flags
        self.streamID = streamID
        self.opcode = opcode
        self.body = body
    }

    /// Writes header and body.
    public func write(to buffer: inout ByteBuffer) {
        let directionBit: UInt8 = direction == .response ? 0x80 : 0x00
        buffer.writeInteger(version.rawValue | directionBit)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(streamID)
        buffer.writeInteger(opcode.rawValue)
        buffer.writeInteger(UInt32(body.readableBytes))
        var body = body
        buffer.writeBuffer(&body)
    }

    /// Reads one complete frame, or returns nil (consuming nothing) when `buffer` does not hold one yet.
    public static func read(from buffer: inout ByteBuffer) throws -> CQLFrame? {
        guard
            let (versionByte, flags, streamID, opcodeByte, length) = buffer.getMultipleIntegers(
                at: buffer.readerIndex,
                as: (UInt8, UInt8, Int16, UInt8, UInt32).self
            )
        else {
            return nil
        }
        guard length <= maximumBodyLength else {
            throw CQLClientError.malformedMessage("frame body of \(length) bytes exceeds the 256 MiB limit")
        }
        guard let opcode = CQLOpcode(rawValue: opcodeByte) else {
            throw CQLClientError.malformedMessage("unknown opcode 0x\(String(opcodeByte, radix: 16))")
        }
        guard buffer.readableBytes >= headerLength + Int(length) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: headerLength)
        let body = buffer.readSlice(length: Int(length))!
        return CQLFrame(
            version: CQLProtocolVersion(rawValue: versionByte),
            direction: versionByte & 0x80 == 0 ? .request : .response,
            flags: CQLFrameFlags(rawValue: flags),
            streamID: streamID,
            opcode: opcode,
            body: body
        )
    }
}
