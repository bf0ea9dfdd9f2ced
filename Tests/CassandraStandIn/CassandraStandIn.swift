import CQLClient
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A single Cassandra node for tests, on 127.0.0.1: it speaks the native protocol (v4; a newer
/// version is refused the way a node refuses it, so clients fall back) with the CQLClient frame
/// codec, authenticates with a password when given one, and runs the statements it understands
/// (``StandInStatement``) against in-memory tables (``StandInStore``), paging included.
///
/// Tests inspect what ran (``StandInStore/log``) and can make it fail a request
/// (``failNext(_:with:)``).
///
/// A node runs on an event loop of its own, as a real node runs in a process of its own: the
/// statements it runs never hold up the event loops of the clients under test, whose timeouts
/// would otherwise measure the node's work on a busy machine.
package final class CassandraStandIn: Sendable {
    /// What to do instead of answering a request.
    package enum Fault: Sendable {
        /// Close the connection without running the request.
        case dropConnection
        /// Run the request, then close the connection without answering.
        case dropConnectionAfterRunning
    }

    package struct PendingFault: Sendable {
        var opcode: CQLOpcode
        var fault: Fault
        var skip: Int
        /// Only requests whose statement text (a QUERY's or a PREPARE's) starts with this.
        var statementPrefix: String?

        func matches(_ request: CQLFrame) -> Bool {
            guard request.opcode == opcode else { return false }
            guard let statementPrefix else { return true }
            guard request.opcode == .query || request.opcode == .prepare else { return false }
            var body = request.body
            return (try? body.readCQLLongString("query"))?.hasPrefix(statementPrefix) == true
        }
    }

    package let port: Int
    package let store: StandInStore
    private let eventLoop: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let faults: NIOLockedValueBox<[PendingFault]>
    private let children: NIOLockedValueBox<[any Channel]>

    private init(
        port: Int, store: StandInStore, eventLoop: MultiThreadedEventLoopGroup, serverChannel: any Channel,
        faults: NIOLockedValueBox<[PendingFault]>, children: NIOLockedValueBox<[any Channel]>
    ) {
        self.port = port
        self.store = store
        self.eventLoop = eventLoop
        self.serverChannel = serverChannel
        self.faults = faults
        self.children = children
    }

    package static func start(credentials: (user: String, password: String)? = nil) async throws -> CassandraStandIn {
        let faults = NIOLockedValueBox<[PendingFault]>([])
        let children = NIOLockedValueBox<[any Channel]>([])
        let store = StandInStore()
        let eventLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: eventLoop)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    children.withLockedValue { $0.append(channel) }
                    return channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
                        try pipeline.addHandler(MessageToByteHandler(CQLFrameEncoder()))
                        try pipeline.addHandler(StandInConnection(store: store, faults: faults, credentials: credentials))
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
        } catch {
            try? await eventLoop.shutdownGracefully()
            throw error
        }
        return CassandraStandIn(
            port: channel.localAddress!.port!, store: store, eventLoop: eventLoop, serverChannel: channel, faults: faults, children: children)
    }

    /// After `skipping` more requests with `opcode` (and, when given, a statement starting with
    /// `statementPrefix`), the next one meets `fault` instead of an answer.
    package func failNext(_ opcode: CQLOpcode, with fault: Fault, skipping: Int = 0, statementPrefix: String? = nil) {
        faults.withLockedValue { $0.append(PendingFault(opcode: opcode, fault: fault, skip: skipping, statementPrefix: statementPrefix)) }
    }

    package func stop() async {
        for child in children.withLockedValue({ $0 }) { try? await child.close() }
        try? await serverChannel.close()
        try? await eventLoop.shutdownGracefully()
    }
}

private final class StandInConnection: ChannelInboundHandler {
    package typealias InboundIn = CQLFrame
    package typealias OutboundOut = CQLFrame

    private static let version = CQLProtocolVersion.v4
    private let store: StandInStore
    private let faults: NIOLockedValueBox<[CassandraStandIn.PendingFault]>
    private let credentials: (user: String, password: String)?

    package init(
        store: StandInStore, faults: NIOLockedValueBox<[CassandraStandIn.PendingFault]>,
        credentials: (user: String, password: String)?
    ) {
        self.store = store
        self.faults = faults
        self.credentials = credentials
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        guard request.version == Self.version else {
            // How a node refuses a version it does not speak: a protocol error, in its own version.
            var body = ByteBuffer()
            body.writeInteger(Int32(0x000A))
            try? body.writeCQLString("Invalid or unsupported protocol version (\(request.version.rawValue)); supported versions are (4/v4)")
            let frame = CQLFrame(version: Self.version, direction: .response, streamID: request.streamID, opcode: .error, body: body)
            context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        let fault = faults.withLockedValue { faults -> CassandraStandIn.Fault? in
            guard let index = faults.firstIndex(where: { $0.matches(request) }) else { return nil }
            guard faults[index].skip == 0 else {
                faults[index].skip -= 1
                return nil
            }
            return faults.remove(at: index).fault
        }
        if fault == .dropConnection {
            context.close(promise: nil)
            return
        }
        let (opcode, body): (CQLOpcode, ByteBuffer)
        do {
            (opcode, body) = try answer(request)
        } catch {
            (opcode, body) = (.error, StandInWire.errorBody(error))
        }
        if fault == .dropConnectionAfterRunning {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(
            wrapOutboundOut(CQLFrame(version: Self.version, direction: .response, streamID: request.streamID, opcode: opcode, body: body)),
            promise: nil)
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ request: CQLFrame) throws -> (CQLOpcode, ByteBuffer) {
        var body = request.body
        var out = ByteBuffer()
        switch request.opcode {
        case .startup:
            guard credentials != nil else { return (.ready, out) }
            try out.writeCQLString("org.apache.cassandra.auth.PasswordAuthenticator")
            return (.authenticate, out)
        case .authResponse:
            let token = try body.readCQLBytesArray("token") ?? []
            let parts = token.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard let credentials, parts.count == 3, parts[1] == credentials.user, parts[2] == credentials.password else {
                out.writeInteger(Int32(0x0100))
                try out.writeCQLString("Provided username and/or password are incorrect")
                return (.error, out)
            }
            out.writeCQLBytes(nil)
            return (.authSuccess, out)
        case .options:
            // What a node supports: drivers ask before STARTUP.
            let supported: [(String, [String])] = [("CQL_VERSION", ["3.4.5"]), ("COMPRESSION", []), ("PROTOCOL_VERSIONS", ["3/v3", "4/v4"])]
            out.writeInteger(UInt16(supported.count))
            for (key, values) in supported {
                try out.writeCQLString(key)
                try out.writeCQLStringList(values)
            }
            return (.supported, out)
        case .register:
            // Drivers subscribe to topology and schema events; a single node never sends any.
            return (.ready, out)
        case .prepare:
            let prepared = try store.prepare(try body.readCQLLongString("query"))
            try StandInWire.writePrepared(prepared, to: &out)
        case .query:
            let text = try body.readCQLLongString("query")
            let parameters = try StandInWire.readParameters(from: &body)
            let (statement, markers) = try store.markerTypes(of: text)
            let values = try StandInWire.decode(parameters.values, as: markers)
            let result = try store.execute(statement, text: text, values: values, pageSize: parameters.pageSize, pagingState: parameters.pagingState)
            try StandInWire.write(result, to: &out)
        case .execute:
            let prepared = try store.prepared(try body.readCQLShortBytes("id"))
            let parameters = try StandInWire.readParameters(from: &body)
            let values = try StandInWire.decode(parameters.values, as: prepared.markers)
            let result = try store.execute(
                prepared.statement, text: prepared.text, values: values,
                pageSize: parameters.pageSize, pagingState: parameters.pagingState)
            try StandInWire.write(result, to: &out)
        case .batch:
            guard try body.readCQLByte("batch type") == 1 else { throw StandInError.invalid("the lake only sends unlogged batches") }
            let count = try body.readCQLShort("statement count")
            var statements: [(StandInPrepared, [CQLValue?])] = []
            for _ in 0..<count {
                guard try body.readCQLByte("statement kind") == 1 else { throw StandInError.invalid("only prepared statements are batched here") }
                let prepared = try store.prepared(try body.readCQLShortBytes("id"))
                statements.append((prepared, try StandInWire.decode(try StandInWire.readValues(from: &body), as: prepared.markers)))
            }
            _ = try body.readCQLConsistency("consistency")
            try store.batch(statements)
            try StandInWire.write(.void, to: &out)
        default:
            throw StandInError.invalid("the stand-in does not answer \(request.opcode)")
        }
        return (.result, out)
    }
}
