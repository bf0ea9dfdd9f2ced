import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `/healthz` asked ten times a second while a scenario runs, as a load balancer or an
/// orchestrator would (a new connection each time): how long each answer took, whatever the lake
/// holds by then.
///
/// The probe has a thread of its own and blocking sockets, so that its timings do not include
/// waits for the bench's own tasks, which meanwhile post the load and read the dashboards.
final class HealthProbe: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let latencies = Mutex<[Double]>([])
    private let finished = DispatchSemaphore(value: 0)

    /// Starts asking the server at `port`; ``stop()`` ends it.
    init(port: Int) {
        let thread = Thread { [self] in
            let clock = ContinuousClock()
            while !stopping.load(ordering: .relaxed) {
                let started = clock.now
                // A probe that fails counts no time: the scenario's own checks report a server that stops.
                if Self.status(ofGet: "/healthz", port: port) == 200 {
                    let took = (clock.now - started).inSeconds
                    latencies.withLock { $0.append(took) }
                }
                let rest = (started + .milliseconds(100) - clock.now).inSeconds
                if rest > 0 { Thread.sleep(forTimeInterval: rest) }
            }
            finished.signal()
        }
        thread.name = "healthz probe"
        thread.start()
    }

    /// Stops asking; the latencies of the answers, in seconds, sorted.
    func stop() async -> [Double] {
        stopping.store(true, ordering: .relaxed)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.finished.wait()
                done.resume()
            }
        }
        return latencies.withLock { $0 }.sorted()
    }

    /// One `GET` of `path` on a new connection to 127.0.0.1:`port`, read to its end: the answer's
    /// status, or nil when the server cannot be reached or answers nothing within five seconds.
    static func status(ofGet path: String, port: Int) -> Int? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(socket, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return nil }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &chunk, chunk.count, 0)
            if count <= 0 { break }
            answer += chunk[..<count]
        }
        // "HTTP/1.1 200 OK": the three digits after the first space.
        guard let space = answer.firstIndex(of: UInt8(ascii: " ")), answer.count >= space + 4 else { return nil }
        return Int(String(decoding: answer[(space + 1)...(space + 3)], as: UTF8.self))
    }
}
