import Hummingbird
import Prometheus
import Synchronization

/// Times every request on the server itself, from the router receiving it until its response is
/// ready to write, into `jobpulse_http_request_duration_seconds` by route (the pattern, so that
/// the label's values stay few), method and status. A client's figure adds its own network and
/// scheduling; this one says what the server took, which is what a latency target of the server
/// is about. A stream (`/api/stream`) is timed until it starts, not for its life.
struct RequestDurationMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    static let name = "jobpulse_http_request_duration_seconds"
    /// Fine below 10 ms, where the probes' and the panels' targets sit.
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]

    private let histograms: Histograms

    init(registry: PrometheusCollectorRegistry) {
        histograms = Histograms(registry: registry)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let response = try await next(request, context)
            histograms.histogram(route: context.endpointPath, method: request.method, status: response.status).record(clock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            histograms.histogram(route: context.endpointPath, method: request.method, status: status).record(clock.now - started)
            throw error
        }
    }

    /// One histogram per route, method and status, made on first use: the registry's own lookup
    /// builds the labels' key each time, this one hashes three small values.
    final class Histograms: Sendable {
        struct Key: Hashable {
            let route: String
            let method: HTTPRequest.Method
            let status: Int
        }

        let registry: PrometheusCollectorRegistry
        private let made = Mutex<[Key: DurationHistogram]>([:])

        init(registry: PrometheusCollectorRegistry) {
            self.registry = registry
        }

        func histogram(route: String?, method: HTTPRequest.Method, status: HTTPResponse.Status) -> DurationHistogram {
            // A request that matched no route is named by no pattern: its path is the client's, not a label.
            let key = Key(route: route ?? "unmatched", method: method, status: status.code)
            return made.withLock { made in
                if let histogram = made[key] { return histogram }
                let histogram = registry.makeDurationHistogram(
                    name: RequestDurationMiddleware.name,
                    labels: [("route", key.route), ("method", key.method.rawValue), ("status", String(key.status))],
                    buckets: RequestDurationMiddleware.buckets,
                    help: "Time the server took for a request, from its routing to its response's last byte.")
                made[key] = histogram
                return histogram
            }
        }
    }
}
