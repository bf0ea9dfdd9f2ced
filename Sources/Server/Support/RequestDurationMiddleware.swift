import Hummingbird
import Prometheus

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

    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let response = try await next(request, context)
            record(clock.now - started, context.endpointPath, request.method, response.status)
            return response
        } catch {
            record(clock.now - started, context.endpointPath, request.method, (error as? any HTTPResponseError)?.status ?? .internalServerError)
            throw error
        }
    }

    /// The registry keeps one histogram per name and labels, made on first use.
    private func record(_ duration: Duration, _ route: String?, _ method: HTTPRequest.Method, _ status: HTTPResponse.Status) {
        // A request that matched no route is named by no pattern: its path is the client's, not a label.
        registry.makeDurationHistogram(
            name: Self.name, labels: [("route", route ?? "unmatched"), ("method", method.rawValue), ("status", String(status.code))],
            buckets: Self.buckets, help: "Time the server took for a request, from its routing until its response is ready to write."
        ).record(duration)
    }
}
