import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `/healthz` asked ten times a second while a scenario runs, as a load balancer or an
/// orchestrator would: how long each answer took, whatever the lake holds by then.
struct HealthProbe {
    private let probing: Task<[Double], Never>

    /// Starts asking the server at `port`; ``stop()`` ends it.
    init(port: Int) {
        let url = URL(string: "http://127.0.0.1:\(port)/healthz")!
        probing = Task {
            var latencies: [Double] = []
            let clock = ContinuousClock()
            while !Task.isCancelled {
                let started = clock.now
                // A probe that fails counts no time: the scenario's own checks report a server that stops.
                if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 {
                    latencies.append((clock.now - started).inSeconds)
                }
                try? await Task.sleep(until: started + .milliseconds(100), clock: .continuous)
            }
            return latencies
        }
    }

    /// Stops asking; the latencies of the answers, in seconds, sorted.
    func stop() async -> [Double] {
        probing.cancel()
        return await probing.value.sorted()
    }
}
