import Foundation
import JobPulseServer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

/// Slow and idle clients against a real server on a real port, over raw TCP: the server closes
/// what does not arrive in time and serves what arrives steadily. The assertions count closed
/// connections; the waits poll with generous slack, since the whole suite runs in parallel on a
/// small machine and a timer may fire late.
@Suite struct ConnectionTimeoutTests {
    /// Runs `jobpulse serve`'s HTTP server (collector only) on a free port around `body`.
    func withServer(_ configuration: ServerConfiguration, _ body: @escaping @Sendable (Int, TestStore) async throws -> Void) async throws {
        let store = try await TestStore()
        let server = JobPulseServer(configuration: configuration, lake: store.lake, warehouse: store.warehouse, pipeline: nil)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(services: try server.services { port in portSink.yield(port) }, logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body(port, store)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func timeouts(header: Double = 30, body: Double = 30, idle: Double = 30) -> ServerConfiguration {
        ServerConfiguration(port: 0, headerTimeout: .milliseconds(Int(header * 1000)), bodyTimeout: .milliseconds(Int(body * 1000)),
                            idleTimeout: .milliseconds(Int(idle * 1000)))
    }

    @Test func halfSentRequestHeadsAreClosedByTheHeaderTimeout() async throws {
        try await withServer(Self.timeouts(header: 1)) { port, _ in
            var connections: [RawConnection] = []
            for _ in 0..<50 {
                let connection = try await RawConnection.open(port: port)
                connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                connections.append(connection)
            }
            // Keep trickling: a byte now and then must not extend the deadline.
            for _ in 0..<60 where connections.contains(where: { !$0.isClosed }) {
                try await Task.sleep(for: .milliseconds(250))
                for connection in connections where !connection.isClosed { connection.send("a") }
            }
            #expect(connections.filter(\.isClosed).count == 50, "every half-sent head is closed although bytes kept coming")
            #expect(connections.allSatisfy { $0.received.isEmpty }, "none of them got an answer")
        }
    }

    @Test func idleKeepAliveConnectionsAreClosedByTheIdleTimeout() async throws {
        try await withServer(Self.timeouts(idle: 5)) { port, _ in
            var connections: [RawConnection] = []
            for _ in 0..<5 {
                let connection = try await RawConnection.open(port: port)
                connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                connections.append(connection)
            }
            connections.append(try await RawConnection.open(port: port))  // never sends a byte
            for _ in 0..<30 where connections.prefix(5).contains(where: { !$0.received.contains("\r\n\r\n{") }) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(connections.prefix(5).allSatisfy { $0.received.hasPrefix("HTTP/1.1 200") })
            #expect(connections.filter(\.isClosed).isEmpty, "answered keep-alive connections stay open at first")
            for _ in 0..<150 where connections.contains(where: { !$0.isClosed }) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(connections.filter(\.isClosed).count == 6, "idle connections are closed by the idle timeout")
        }
    }

    @Test func stalledRequestBodiesAreClosedByTheBodyTimeout() async throws {
        try await withServer(Self.timeouts(body: 1)) { port, store in
            var connections: [RawConnection] = []
            for _ in 0..<10 {
                let connection = try await RawConnection.open(port: port)
                connection.send("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n[{\"ts\":")
                connections.append(connection)
            }
            for _ in 0..<60 where connections.contains(where: { !$0.isClosed }) {
                try await Task.sleep(for: .milliseconds(250))
                for connection in connections where !connection.isClosed { connection.send(" ") }
            }
            #expect(connections.filter(\.isClosed).count == 10, "every stalled body is closed although bytes kept coming")
            #expect(try await store.lake.count(after: nil) == 0)
        }
    }

    /// A client that sends its request in small pieces, steadily, within the timeouts, gets its
    /// answer, twice on the same connection: the deadlines start afresh for each request.
    @Test func slowButSteadyClientsAreServed() async throws {
        try await withServer(Self.timeouts(header: 10, body: 10, idle: 15)) { port, store in
            let connection = try await RawConnection.open(port: port)
            let body = #"[{"ts":"2026-11-29 10:00:00","custom_track":"click","job_id":"7"}]"#
            let head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            for round in 1...2 {
                for piece in Self.pieces(head, count: 12) + Self.pieces(body, count: 12) {
                    connection.send(piece)
                    try await Task.sleep(for: .milliseconds(200))
                }
                for _ in 0..<100 where connection.received.components(separatedBy: #""accepted":1"#).count <= round {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(connection.received.components(separatedBy: "HTTP/1.1 200 OK").count == round + 1, "answer \(round)")
                #expect(!connection.isClosed)
            }
            #expect(try await store.lake.count(after: nil) == 2)
        }
    }

    static func pieces(_ text: String, count: Int) -> [String] {
        let bytes = Array(text.utf8), size = (bytes.count + count - 1) / count
        return stride(from: 0, to: bytes.count, by: size).map { String(decoding: bytes[$0..<min($0 + size, bytes.count)], as: UTF8.self) }
    }
}

/// A plain TCP connection that records what it receives and whether the peer closed it.
final class RawConnection: Sendable {
    let channel: any Channel
    private let bytes: NIOLockedValueBox<[UInt8]>

    private init(channel: any Channel, bytes: NIOLockedValueBox<[UInt8]>) {
        self.channel = channel
        self.bytes = bytes
    }

    static func open(port: Int) async throws -> RawConnection {
        let bytes = NIOLockedValueBox<[UInt8]>([])
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Recorder(bytes: bytes)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, bytes: bytes)
    }

    func send(_ text: String) {
        channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
    }

    var received: String { String(decoding: bytes.withLockedValue { $0 }, as: UTF8.self) }
    var isClosed: Bool { !channel.isActive }

    deinit { channel.close(promise: nil) }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let bytes: NIOLockedValueBox<[UInt8]>
        init(bytes: NIOLockedValueBox<[UInt8]>) { self.bytes = bytes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLockedValue { $0 += buffer.readableBytesView }
        }
    }
}
