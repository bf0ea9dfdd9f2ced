import NIOCore

@testable import CQLClient

/// Decodes a whole response frame written as hex.
func decodeResponse(_ hex: String) throws -> CQLResponse {
    var buffer = ByteBuffer(hex: hex)
    guard let frame = try CQLFrame.read(from: &buffer) else {
        throw CQLClientError.malformedMessage("incomplete frame in test data")
    }
    guard buffer.readableBytes == 0 else {
        throw CQLClientError.malformedMessage("\(buffer.readableBytes) bytes left after the frame in test data")
    }
    return try CQLResponse(decoding: frame)
}

/// Encodes a request message into a full frame, as hex.
func encodedRequest(
    _ message: some CQLRequestMessage,
    version: CQLProtocolVersion = .v4,
    streamID: Int16
) throws -> String {
    var buffer = ByteBuffer()
    try message.frame(version: version, streamID: streamID).write(to: &buffer)
    return buffer.hex
}
