import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

@testable import CQLClient

/// What the peer does with a request it expected.
enum PeerAction: Sendable {
    /// Answers on the request's stream id.
    case reply(CQLOpcode, body: ByteBuffer, flags: CQLFrameFlags = [])
    /// Keeps an answer back until `releaseHeldInReverse`.
    case hold(CQLOpcode, body: ByteBuffer)
    /// Sends the held answers, the last one held first.
    case releaseHeldInReverse
    /// Closes the connection.
    case close
}

/// One recorded exchange: the request opcode expected next, and what to answer.
struct PeerStep: Sendable {
    var expected: CQLOpcode
    var actions: @Sendable (CQLFrame) -> [PeerAction]

    init(_ expected: CQLOpcode, _ actions: @escaping @Sendable (CQLFrame) -> [PeerAction]) {
        self.expected = expected
        self.actions = actions
    }

    /// Expects `request` and answers with `response` carrying the body written as hex.
    static func expect(_ request: CQLOpcode, reply response: CQLOpcode, body: String = "") -> PeerStep {
        PeerStep(request) { _ in [.reply(response, body: ByteBuffer(hex: body))] }
    }

    /// Expects `request` and closes the connection without answering.
    static func closeOn(_ request: CQLOpcode) -> PeerStep {
        PeerStep(request) { _ in [.close] }
    }

    /// STARTUP answered by READY.
    static let startupReady = PeerStep.expect(.startup, reply: .ready)
}

/// A small CQL server on 127.0.0.1 that answers from scripts.
///
/// Each accepted connection plays the next script of `connections` (the last one
/// repeats). A STARTUP with a version above `highestVersion` is answered with a
/// protocol error about the version, in the highest version's framing, and the
/// connection closed, without using a script; that is how servers refuse versions.
final class ScriptedPeer: Sendable {
    struct State {
        var scripts: [[PeerStep]]
        var nextScript = 0
        var requests: [CQLFrame] = []
        var mismatches: [String] = []
        var children: [any Channel] = []
    }

    let endpoint: CQLEndpoint
    private let serverChannel: any Channel
    private let state: NIOLockedValueBox<State>

    private init(endpoint: CQLEndpoint, serverChannel: any Channel, state: NIOLockedValueBox<State>) {
        self.endpoint = endpoint
        self.serverChannel = serverChannel
        self.state = state
    }

    static func start(
        highestVersion: CQLProtocolVersion = .v4,
        tls: TLSConfiguration? = nil,
        connections scripts: [[PeerStep]]
    ) async throws -> ScriptedPeer {
        precondition(!scripts.isEmpty)
        let state = NIOLockedValueBox(State(scripts: scripts))
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.withLockedValue { $0.children.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try pipeline.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(CQLFrameEncoder()))
                    try pipeline.addHandler(PeerConnectionHandler(state: state, highestVersion: highestVersion))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = serverChannel.localAddress!.port!
        return ScriptedPeer(endpoint: CQLEndpoint(host: "127.0.0.1", port: port), serverChannel: serverChannel, state: state)
    }

    /// Every request received, in order, over all connections.
    var requests: [CQLFrame] { state.withLockedValue { $0.requests } }

    /// Requests that did not match the script.
    var mismatches: [String] { state.withLockedValue { $0.mismatches } }

    /// Connections that started a script.
    var scriptedConnections: Int { state.withLockedValue { $0.nextScript } }

    /// Stops listening and closes every connection.
    func stop() async {
        let children = state.withLockedValue { $0.children }
        for child in children {
            try? await child.close()
        }
        try? await serverChannel.close()
    }
}

private final class PeerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = CQLFrame
    typealias OutboundOut = CQLFrame

    private let state: NIOLockedValueBox<ScriptedPeer.State>
    private let highestVersion: CQLProtocolVersion
    private var script: [PeerStep]?
    private var nextStep = 0
    private var held: [CQLFrame] = []

    init(state: NIOLockedValueBox<ScriptedPeer.State>, highestVersion: CQLProtocolVersion) {
        self.state = state
        self.highestVersion = highestVersion
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        state.withLockedValue { $0.requests.append(request) }
        if script == nil {
            if request.version > highestVersion {
                refuseVersion(of: request, context: context)
                return
            }
            script = state.withLockedValue { state in
                defer { state.nextScript += 1 }
                return state.scripts[min(state.nextScript, state.scripts.count - 1)]
            }
        }
        guard let script, nextStep < script.count else {
            fail(request, "script exhausted at \(request.opcode)", code: 0x0000, context: context)
            return
        }
        let step = script[nextStep]
        nextStep += 1
        guard step.expected == request.opcode else {
            fail(request, "expected \(step.expected), got \(request.opcode)", code: 0x000A, context: context)
            return
        }
        for action in step.actions(request) {
            switch action {
            case .reply(let opcode, let body, let flags):
                context.writeAndFlush(wrapOutboundOut(response(to: request, opcode: opcode, body: body, flags: flags)), promise: nil)
            case .hold(let opcode, let body):
                held.append(response(to: request, opcode: opcode, body: body, flags: []))
            case .releaseHeldInReverse:
                for frame in held.reversed() {
                    context.write(wrapOutboundOut(frame), promise: nil)
                }
                held.removeAll()
                context.flush()
            case .close:
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func response(to request: CQLFrame, opcode: CQLOpcode, body: ByteBuffer, flags: CQLFrameFlags) -> CQLFrame {
        CQLFrame(version: request.version, direction: .response, flags: flags, streamID: request.streamID, opcode: opcode, body: body)
    }

    private func refuseVersion(of request: CQLFrame, context: ChannelHandlerContext) {
        let message =
            "Invalid or unsupported protocol version (\(request.version.rawValue)); "
            + "highest supported version is \(highestVersion.rawValue)"
        let frame = CQLFrame(
            version: highestVersion, direction: .response, streamID: request.streamID,
            opcode: .error, body: Self.errorBody(code: 0x000A, message: message)
        )
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func fail(_ request: CQLFrame, _ reason: String, code: Int32, context: ChannelHandlerContext) {
        state.withLockedValue { $0.mismatches.append(reason) }
        let body = Self.errorBody(code: code, message: reason)
        context.writeAndFlush(wrapOutboundOut(response(to: request, opcode: .error, body: body, flags: [])), promise: nil)
    }

    /// [int] code then [string] message.
    private static func errorBody(code: Int32, message: String) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeInteger(code)
        body.writeInteger(UInt16(message.utf8.count))
        body.writeString(message)
        return body
    }
}
