import Foundation
import JobPulseETL
import Logging
import ServiceLifecycle
import Synchronization

/// Tells every open dashboard (server-sent events on `/api/stream`) that a batch committed, with
/// the figures of the default view computed once for all of them (``DefaultView``).
///
/// Commits that come while the figures are computed are announced together, with figures
/// computed after the last of them: a page never sees figures older than the commit it is told
/// of. Without open dashboards nothing is computed. Should the computation fail, the commit is
/// announced without figures, and the pages ask the endpoints themselves. As a service, the feed
/// ends the open streams at shutdown so that the HTTP server can drain.
public final class CommitFeed: Service, Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<String>.Continuation]>([:])
    private let latest = Mutex<CommitAnnouncement?>(nil)
    private let commits = WakeSignal()
    let defaultView: DefaultView?
    let logger: Logger
    /// How long a stream may stay silent before a comment keeps proxies from closing it.
    static let keepAlive: Duration = .seconds(15)

    init(defaultView: DefaultView?, logger: Logger) {
        self.defaultView = defaultView
        self.logger = logger
    }

    /// Announces a commit at `position`; the announcement goes out from ``run()``.
    public func publish(position: String, committedAt: String) {
        latest.withLock { $0 = CommitAnnouncement(position: position, committedAt: committedAt, figures: nil) }
        commits.signal()
    }

    var subscriberCount: Int { subscribers.withLock { $0.count } }

    func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        continuation.yield("retry: 2000\n\n")
        // So that the first commit's figures find the jobs of the default view kept already.
        if let defaultView { Task { await defaultView.keepJobBoards() } }
        return stream
    }

    private func broadcast(_ message: String) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(message) }
    }

    /// The commit with the default view's figures, when a dashboard is open to receive them.
    func announcement(of commit: CommitAnnouncement) async -> CommitAnnouncement {
        guard let defaultView, subscriberCount > 0 else { return commit }
        do {
            return CommitAnnouncement(position: commit.position, committedAt: commit.committedAt, figures: try await defaultView.figures())
        } catch {
            logger.warning("the default view's figures could not be computed; the commit goes out without them: \(error)")
            return commit
        }
    }

    /// `announcement` as one line of JSON; `commit` alone should it not encode.
    func data(_ announcement: CommitAnnouncement, or commit: CommitAnnouncement) -> String {
        do {
            return String(decoding: try ServerJSON.encoder.encode(announcement), as: UTF8.self)
        } catch {
            logger.warning("the default view's figures could not be written as JSON; the commit goes out without them: \(error)")
            return ServerJSON.text(commit)
        }
    }

    /// Announces the commits, keeps idle connections open through proxies, and ends every
    /// stream at shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.commits.wait(timeout: Self.keepAlive)
                if Task.isCancelled { break }
                let next = self.latest.withLock { latest in
                    defer { latest = nil }
                    return latest
                }
                guard let commit = next else {
                    self.broadcast(": keep-alive\n\n")
                    continue
                }
                self.broadcast("event: commit\ndata: \(self.data(await self.announcement(of: commit), or: commit))\n\n")
            }
        }
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}
