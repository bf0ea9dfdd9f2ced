import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// Open dashboards in the default view, for scenario 9: each one reads `/api/stream` as the page
/// does, and notes every commit announced, how long after the server's `committed_at` it
/// arrived, and whether the default view's figures came with it (the page then renders them and
/// asks nothing more).
final class DashboardViewers: Sendable {
    struct Arrival: Sendable {
        let delay: Double
        let withFigures: Bool
        let bytes: Int
    }

    private final class Log: Sendable {
        let arrivals = Mutex<[Arrival]>([])
    }

    private let log = Log()
    private let viewing: Task<Void, any Error>
    /// A client of its own: a shared one opens at most 8 connections to a host, and each open
    /// dashboard holds one.
    private let client: HTTPClient

    /// Opens `count` streams on the server at `port`; they read until ``close()``.
    init(count: Int, port: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.client = client
        let log = self.log
        viewing = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<count {
                    group.addTask { try await Self.view(client, port: port) { arrival in log.arrivals.withLock { $0.append(arrival) } } }
                }
                try await group.waitForAll()
            }
        }
    }

    /// The commits every viewer received so far.
    var received: [Arrival] { log.arrivals.withLock { $0 } }

    /// Stops reading; the streams close with their connections.
    func close() async {
        viewing.cancel()
        _ = try? await viewing.value
        try? await client.shutdown()
    }

    private static func view(_ client: HTTPClient, port: Int, _ note: @escaping @Sendable (Arrival) -> Void) async throws {
        let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/stream"), timeout: .hours(24))
        guard response.status == .ok else { throw BenchError("GET /api/stream answered \(response.status)") }
        var unread: [UInt8] = []
        for try await chunk in response.body {
            // Only the new bytes, and the one before them, can complete a blank line.
            var from = max(unread.count - 1, 0)
            unread += chunk.readableBytesView
            var consumed = 0
            while let end = blankLine(in: unread, from: from) {
                if let arrival = arrival(unread[consumed..<end]) { note(arrival) }
                consumed = end + 2
                from = consumed
            }
            unread.removeFirst(consumed)
        }
    }

    /// Where the first `\n\n` at or after `from` starts.
    private static func blankLine(in bytes: [UInt8], from: Int) -> Int? {
        var index = from
        while index + 1 < bytes.count {
            if bytes[index] == 10, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// A `commit` event's arrival; nil for any other message. Only `committed_at` is read and the
    /// figures are looked for, not decoded: a browser decodes them on its own machine, and here
    /// that work would take the cores the server is measured on.
    static func arrival(_ message: ArraySlice<UInt8>) -> Arrival? {
        guard message.starts(with: "event: commit\n".utf8), let data = find("\ndata: ", in: message).map({ $0 + 7 }),
            let key = find(#""committed_at":""#, in: message[data...]).map({ $0 + 16 }),
            let close = message[key...].firstIndex(of: UInt8(ascii: "\"")),
            let committedAt = instant(String(decoding: message[key..<close], as: UTF8.self))
        else { return nil }
        return Arrival(
            delay: Date().timeIntervalSince(committedAt), withFigures: find(#""figures":{"#, in: message[data...]) != nil,
            bytes: message.endIndex - data)
    }

    /// Where `pattern` first starts in `bytes`.
    private static func find(_ pattern: String, in bytes: ArraySlice<UInt8>) -> Int? {
        let pattern = Array(pattern.utf8)
        var from = bytes.startIndex
        while let candidate = bytes[from...].firstIndex(of: pattern[0]) {
            if bytes[candidate...].starts(with: pattern) { return candidate }
            from = candidate + 1
        }
        return nil
    }

    private static func instant(_ text: String) -> Date? {
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? format.parse(text)
    }
}

/// CPU seconds a process used so far (user and system), from Linux's `/proc/<pid>/stat`.
func cpuSeconds(of pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
    // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
