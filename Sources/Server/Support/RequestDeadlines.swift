import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Deadlines for reading one request on a connection: its head must arrive within
/// `headerTimeout` of its first byte, its body within `bodyTimeout` of its head; otherwise the
/// connection is closed.
///
/// Hummingbird's `idleTimeout` only measures time between decoded HTTP parts, so a client that
/// trickles a request head one byte at a time (slowloris), or a body in tiny parts, holds a
/// connection for as long as it likes. Knowing when a head *starts* needs the raw bytes before
/// the HTTP decoder, and knowing when it *ends* needs the decoded parts after it, hence two small
/// handlers (``FirstByteWatcher``, ``RequestPartWatcher``) around this one shared state. All of
/// it lives on the connection's event loop.
///
/// Bytes of a next request that arrive in the same read as the end of the previous one start no
/// head deadline; the idle timeout (from the previous response) still bounds them.
final class RequestDeadlines {
    enum Phase { case waitingForRequest, readingHead, readingBody }

    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    let logger: Logger
    private var phase = Phase.waitingForRequest
    private var deadline: Scheduled<Void>?

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, logger: Logger) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.logger = logger
    }

    func bytesArrived(_ context: ChannelHandlerContext) {
        guard phase == .waitingForRequest else { return }
        phase = .readingHead
        schedule(in: headerTimeout, context, reason: "the request head did not arrive within the header timeout")
    }

    func headArrived(_ context: ChannelHandlerContext) {
        phase = .readingBody
        schedule(in: bodyTimeout, context, reason: "the request body did not arrive within the body timeout")
    }

    func endArrived() {
        phase = .waitingForRequest
        cancel()
    }

    func cancel() {
        deadline?.cancel()
        deadline = nil
    }

    private func schedule(in timeout: TimeAmount, _ context: ChannelHandlerContext, reason: String) {
        cancel()
        let logger = self.logger
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            logger.debug("closing connection: \(reason)", metadata: ["peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
        }
    }
}

/// First in the pipeline: sees each read's raw bytes before the HTTP decoder does.
final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    let deadlines: RequestDeadlines

    init(_ deadlines: RequestDeadlines) { self.deadlines = deadlines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadlines.bytesArrived(context)
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadlines.cancel() }
}

/// After the HTTP decoder: sees where each request's head and end are.
final class RequestPartWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    let deadlines: RequestDeadlines

    init(_ deadlines: RequestDeadlines) { self.deadlines = deadlines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines.headArrived(context)
        case .body: break
        case .end: deadlines.endArrived()
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadlines.cancel() }
}

/// Hummingbird's HTTP/1.1 channel with its idle timeout, plus the head and body deadlines of
/// ``RequestDeadlines``, fresh for each connection.
struct TimedHTTP1Channel: ServerChildChannel {
    let responder: HTTPChannelHandler.Responder
    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    let idleTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        let deadlines = RequestDeadlines(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, logger: logger)
        // Hummingbird asks for the extra handlers on the event loop, inside its own setup.
        let partWatcher = NIOLoopBound(RequestPartWatcher(deadlines), eventLoop: channel.eventLoop)
        let configuration = HTTP1Channel.Configuration(additionalChannelHandlers: [partWatcher.value], idleTimeout: idleTimeout)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(FirstByteWatcher(deadlines), position: .first)
        }.flatMap {
            HTTP1Channel(responder: responder, configuration: configuration).setup(channel: channel, logger: logger)
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }
}
