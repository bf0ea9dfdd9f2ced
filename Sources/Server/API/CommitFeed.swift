import Foundation
import ServiceLifecycle
import Synchronization

/// Tells every open dashboard (server-sent events on `/api/stream`) that a batch committed.
/// As a service, it ends the open streams at shutdown so that the HTTP server can drain.
public final class CommitFeed: Service, Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<String>.Continuation]>([:])

    public init() {}

    /// Announces a commit at `position`.
    public func publish(position: String, committedAt: String) {
        let data = ServerJSON.text(CommitAnnouncement(position: position, committedAt: committedAt))
        broadcast("event: commit\ndata: \(data)\n\n")
    }

    func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        continuation.yield("retry: 2000\n\n")
        return stream
    }

    private func broadcast(_ message: String) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(message) }
    }

    /// Keeps idle connections open through proxies, and ends every stream at shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                self.broadcast(": keep-alive\n\n")
            }
        }
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}
