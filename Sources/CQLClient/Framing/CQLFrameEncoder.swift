import NIOCore

/// Turns ``CQLFrame``s into bytes, for either end of a connection.
///
/// Mirrors ``CQLFrameDecoder``: with v5, the envelopes after STARTUP and its answer
/// are wrapped in checksummed frames, splitting an envelope larger than one frame
/// over several.
public final class CQLFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = CQLFrame

    private var wrapsInChecksummedFrames = false

    public init() {}

    public func encode(data frame: CQLFrame, out: inout ByteBuffer) throws {
        guard wrapsInChecksummedFrames else {
            frame.write(to: &out)
            if frame.endsUnframedPhase {
                wrapsInChecksummedFrames = true
            }
            return
        }
        var envelope = ByteBuffer()
        envelope.reserveCapacity(CQLFrame.headerLength + frame.body.readableBytes)
        frame.write(to: &envelope)
        let selfContained = envelope.readableBytes <= ChecksummedFrame.maximumPayloadLength
        while envelope.readableBytes > 0 {
            let slice = envelope.readSlice(length: min(envelope.readableBytes, ChecksummedFrame.maximumPayloadLength))!
            ChecksummedFrame.write(payload: slice, selfContained: selfContained, to: &out)
        }
    }
}
