import Foundation
import JobPulseLake
import JobPulseTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// Slow and idle clients against a real `jobpulse serve` process, over raw TCP: the server
/// closes what does not arrive in time and serves what arrives steadily. The assertions count
/// closed connections and answers. The server runs in a process of its own and the clients pace
/// their bytes on NIO's event loop, so that a busy test process (the whole suite runs in
/// parallel) cannot make a client look slower than it is.
@Suite struct ConnectionTimeoutTests {
    /// A collector-only server with the given timeouts (seconds), around `body`.
    func withServer(
        header: Double = 30, body: Double = 30, idle: Double = 30,
        _ run: @escaping @Sendable (Int, TemporaryDirectory) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let server = try await ServerProcess(
            arguments: [
                "--no-etl", "--data-dir", directory.path, "--header-timeout", "\(header)", "--body-timeout", "\(body)",
                "--idle-timeout", "\(idle)", "--log-level", "warning",
            ],
            logPath: directory.file("serve.log"))
        do {
            try await run(server.port, directory)
        } catch {
            _ = await server.stop()
            throw error
        }
        #expect(await server.stop() == 0)
    }

    /// `count` connections that each send `start`, then, with `trickle`, one more byte of it every
    /// 250 ms; waits until all are closed (or the suite's patience has run out).
    func openAndWait(_ count: Int, port: Int, sending start: String, trickle: String?) async throws -> [RawConnection] {
        var connections: [RawConnection] = []
        for _ in 0..<count {
            let connection = try await RawConnection.open(port: port)
            connection.send(start)
            if let trickle { connection.trickle(trickle, every: .milliseconds(250), times: 200) }
            connections.append(connection)
        }
        _ = try await poll { connections.allSatisfy(\.isClosed) }
        return connections
    }

    @Test func halfSentRequestHeadsAreClosedByTheHeaderTimeout() async throws {
        try await withServer(header: 1, idle: 600) { port, _ in
            // Keep trickling: a byte now and then must not extend the deadline.
            let connections = try await openAndWait(50, port: port, sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", trickle: "a")
            #expect(connections.filter(\.isClosed).count == 50, "every half-sent head is closed although bytes kept coming")
            // Closing may race with the HTTP decoder's own refusal of the cut head (a 400): never an answer.
            #expect(
                connections.allSatisfy { $0.received.isEmpty || $0.received.hasPrefix("HTTP/1.1 400") },
                "none of them was served: \(connections.map(\.received).filter { !$0.isEmpty }.prefix(2))")
        }
    }

    @Test func idleKeepAliveConnectionsAreClosedByTheIdleTimeout() async throws {
        // 20 s: a server process starved by the parallel suite on a busy machine must answer
        // first (8 s was once not enough, with the suite sharing two cores with other work).
        try await withServer(idle: 20) { port, _ in
            var connections: [RawConnection] = []
            for _ in 0..<5 {
                let connection = try await RawConnection.open(port: port)
                connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                connections.append(connection)
            }
            connections.append(try await RawConnection.open(port: port))  // never sends a byte
            _ = try await poll { connections.allSatisfy(\.isClosed) }
            #expect(connections.prefix(5).allSatisfy { $0.received.hasPrefix("HTTP/1.1 200") }, "each was answered first")
            #expect(connections.filter(\.isClosed).count == 6, "idle connections are closed by the idle timeout")
        }
    }

    @Test func stalledRequestBodiesAreClosedByTheBodyTimeout() async throws {
        try await withServer(body: 1, idle: 600) { port, directory in
            let head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
            let connections = try await openAndWait(10, port: port, sending: head + "[{\"ts\":", trickle: " ")
            #expect(connections.filter(\.isClosed).count == 10, "every stalled body is closed although bytes kept coming")
            #expect(try await SQLiteLake(path: directory.file("lake.db")).count(after: nil) == 0)
        }
    }

    /// A client that sends its request in small pieces, steadily, within the timeouts, gets its
    /// answer, twice on the same connection: the deadlines start afresh for each request, and a
    /// keep-alive connection in use is not closed.
    @Test func slowButSteadyClientsAreServed() async throws {
        // The idle timeout is long: between the rounds the test itself may be slow to go on.
        try await withServer(header: 10, body: 10, idle: 30) { port, directory in
            let connection = try await RawConnection.open(port: port)
            let body = #"[{"ts":"2026-11-29 10:00:00","custom_track":"click","job_id":"7"}]"#
            let head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            for round in 1...2 {
                // 2 s for the head and 2 s for the body, both well under their 10 s (slack for a
                // starved server process): 4 s in all.
                try await connection.sendPaced(Self.pieces(head, count: 10) + Self.pieces(body, count: 10), every: .milliseconds(200))
                _ = try await poll { connection.received.components(separatedBy: #""accepted":1"#).count > round }
                #expect(connection.received.components(separatedBy: "HTTP/1.1 200 OK").count == round + 1, "answer \(round)")
                #expect(!connection.isClosed)
            }
            #expect(try await SQLiteLake(path: directory.file("lake.db")).count(after: nil) == 2)
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

    /// Sends `text` every `interval`, `times` times or until the connection closes, timed by the
    /// connection's event loop.
    func trickle(_ text: String, every interval: TimeAmount, times: Int) {
        guard times > 0 else { return }
        channel.eventLoop.scheduleTask(in: interval) { [channel] in
            guard channel.isActive else { return }
            channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
            self.trickle(text, every: interval, times: times - 1)
        }
    }

    /// Sends `pieces` one after the other, `interval` apart, timed by the connection's event loop;
    /// returns when the last one is written.
    func sendPaced(_ pieces: [String], every interval: TimeAmount) async throws {
        let done = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute { self.send(pieces[...], every: interval, then: done) }
        try await done.futureResult.get()
    }

    private func send(_ pieces: ArraySlice<String>, every interval: TimeAmount, then done: EventLoopPromise<Void>) {
        guard let piece = pieces.first else { return done.succeed() }
        channel.writeAndFlush(ByteBuffer(string: piece), promise: nil)
        channel.eventLoop.scheduleTask(in: interval) { self.send(pieces.dropFirst(), every: interval, then: done) }
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
