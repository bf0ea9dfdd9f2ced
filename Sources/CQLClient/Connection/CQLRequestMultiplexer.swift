import Logging
import NIOCore

/// A request on its way to the multiplexer: the message and where its response goes.
struct CQLPendingRequest: Sendable {
    var message: any CQLRequestMessage
    var version: CQLProtocolVersion
    var timeout: TimeAmount
    var responsePromise: EventLoopPromise<CQLFrame>
}

/// Asks the multiplexer to close the channel once every request in flight has its response.
struct CQLCloseWhenIdle: Sendable {
    var gracePeriod: TimeAmount
}

/// Gives each outgoing request a free stream id and routes each response frame to
/// the request with the same id, so that many requests share one connection.
///
/// Runs on the channel's event loop; all its state is confined there.
final class CQLRequestMultiplexer: ChannelDuplexHandler {
    typealias InboundIn = CQLFrame
    typealias OutboundIn = CQLPendingRequest
    typealias OutboundOut = CQLFrame

    private struct InFlight {
        var promise: EventLoopPromise<CQLFrame>
        var timeout: Scheduled<Void>
    }

    private var streamIDs = StreamIDAllocator()
    private var inFlight: [Int16: InFlight] = [:]
    /// Ids of timed-out requests; they stay taken until their late response arrives.
    private var abandoned: Set<Int16> = []
    private var closeWhenIdle: EventLoopPromise<Void>?
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard closeWhenIdle == nil else {
            request.responsePromise.fail(CQLClientError.connectionClosed)
            promise?.fail(CQLClientError.connectionClosed)
            return
        }
        guard let streamID = streamIDs.allocate() else {
            request.responsePromise.fail(CQLClientError.streamIDsExhausted)
            promise?.fail(CQLClientError.streamIDsExhausted)
            return
        }
        let frame: CQLFrame
        do {
            frame = try request.message.frame(version: request.version, streamID: streamID, allocator: context.channel.allocator)
        } catch {
            streamIDs.release(streamID)
            request.responsePromise.fail(error)
            promise?.fail(error)
            return
        }
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(in: request.timeout) { [self] in
            self.timeOut(streamID: streamID)
        }
        inFlight[streamID] = InFlight(promise: request.responsePromise, timeout: timeout)
        logger.trace("sending request", metadata: ["cql.opcode": "\(frame.opcode)", "cql.stream": "\(streamID)"])
        let writePromise = context.eventLoop.makePromise(of: Void.self)
        writePromise.futureResult.assumeIsolated().whenFailure { [self] error in
            self.complete(streamID: streamID, with: .failure(error is ChannelError ? CQLClientError.connectionClosed : error))
        }
        writePromise.futureResult.cascade(to: promise)
        context.write(wrapOutboundOut(frame), promise: writePromise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.streamID >= 0 else {
            logger.trace("ignoring server event", metadata: ["cql.opcode": "\(frame.opcode)"])
            return
        }
        if abandoned.remove(frame.streamID) != nil {
            streamIDs.release(frame.streamID)
        } else if inFlight[frame.streamID] != nil {
            complete(streamID: frame.streamID, with: .success(frame))
        } else {
            logger.debug("response for unknown stream", metadata: ["cql.stream": "\(frame.streamID)"])
        }
        closeIfIdle(context: context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let request = event as? CQLCloseWhenIdle else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        guard context.channel.isActive else {
            // Already closed (channelInactive has been or will not be seen again).
            promise?.succeed()
            return
        }
        let closed = closeWhenIdle ?? context.eventLoop.makePromise(of: Void.self)
        closeWhenIdle = closed
        closed.futureResult.cascade(to: promise)
        context.eventLoop.assumeIsolated().scheduleTask(in: request.gracePeriod) {
            context.close(promise: nil)
        }
        closeIfIdle(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(with: CQLClientError.connectionClosed)
        closeWhenIdle?.succeed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("closing connection after error", metadata: ["error": "\(error)"])
        failAll(with: error)
        context.close(promise: nil)
    }

    private func complete(streamID: Int16, with result: Result<CQLFrame, any Error>) {
        guard let request = inFlight.removeValue(forKey: streamID) else { return }
        request.timeout.cancel()
        streamIDs.release(streamID)
        request.promise.completeWith(result)
    }

    private func timeOut(streamID: Int16) {
        guard let request = inFlight.removeValue(forKey: streamID) else { return }
        abandoned.insert(streamID)
        request.promise.fail(CQLClientError.requestTimedOut)
    }

    private func failAll(with error: any Error) {
        let requests = inFlight
        inFlight.removeAll()
        for (streamID, request) in requests {
            request.timeout.cancel()
            streamIDs.release(streamID)
            request.promise.fail(error)
        }
    }

    private func closeIfIdle(context: ChannelHandlerContext) {
        guard closeWhenIdle != nil, inFlight.isEmpty else { return }
        context.close(promise: nil)
    }
}
