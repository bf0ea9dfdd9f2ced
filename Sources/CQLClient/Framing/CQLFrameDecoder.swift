import NIOCore

/// Turns bytes into ``CQLFrame``s, for either end of a connection.
///
/// Up to v4 the bytes are plain frames. With v5 the STARTUP request and its
/// answer (READY or AUTHENTICATE) are plain too, and everything after them comes
/// inside checksummed frames; the decoder switches as soon as such an envelope
/// has gone through, so bytes already buffered behind it are read correctly.
public final class CQLFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = CQLFrame

    private enum Mode {
        case plain
        /// `partialEnvelope` gathers the slices of an envelope that spans several frames.
        case checksummed(partialEnvelope: ByteBuffer?)
    }

    private var mode: Mode = .plain

    public init() {}

    public func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch mode {
        case .plain:
            guard let frame = try CQLFrame.read(from: &buffer) else { return .needMoreData }
            if frame.endsUnframedPhase {
                mode = .checksummed(partialEnvelope: nil)
            }
            context.fireChannelRead(wrapInboundOut(frame))
            return .continue
        case .checksummed(let partialEnvelope):
            guard let (payload, selfContained) = try ChecksummedFrame.read(from: &buffer) else {
                return .needMoreData
            }
            if selfContained {
                guard partialEnvelope == nil else {
                    throw CQLClientError.malformedMessage("self-contained frame inside a split envelope")
                }
                var payload = payload
                while payload.readableBytes > 0 {
                    guard let frame = try CQLFrame.read(from: &payload) else {
                        throw CQLClientError.malformedMessage("self-contained frame ends inside an envelope")
                    }
                    context.fireChannelRead(wrapInboundOut(frame))
                }
            } else {
                var gathered = partialEnvelope ?? context.channel.allocator.buffer(capacity: payload.readableBytes)
                gathered.writeImmutableBuffer(payload)
                if let frame = try CQLFrame.read(from: &gathered) {
                    guard gathered.readableBytes == 0 else {
                        throw CQLClientError.malformedMessage("split envelope followed by extra bytes")
                    }
                    mode = .checksummed(partialEnvelope: nil)
                    context.fireChannelRead(wrapInboundOut(frame))
                } else {
                    mode = .checksummed(partialEnvelope: gathered)
                }
            }
            return .continue
        }
    }

    public func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}

extension CQLFrame {
    /// A v5 envelope after which both directions use checksummed frames: the STARTUP
    /// request, and the READY or AUTHENTICATE that answers it.
    var endsUnframedPhase: Bool {
        guard version.usesChecksummedFraming else { return false }
        switch opcode {
        case .startup, .ready, .authenticate: return true
        default: return false
        }
    }
}
