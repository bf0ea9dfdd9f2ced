import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The server's own timing of one route (`jobpulse_http_request_duration_seconds` on its
/// `/metrics`): the requests answered within each bucket's bound, cumulative as Prometheus
/// exports them. Two readings subtracted give the requests of the time between them.
struct ServerRequestDurations {
    /// (bound in seconds, requests within it), by bound; the last bound is +Inf.
    var buckets: [(bound: Double, count: Double)]

    /// Reads the successful `GET`s of `route` from the server at `port`.
    static func read(route: String, port: Int) async throws -> ServerRequestDurations {
        let url = URL(string: "http://127.0.0.1:\(port)/metrics")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return parse(String(decoding: data, as: UTF8.self), route: route)
    }

    static func parse(_ exposition: String, route: String) -> ServerRequestDurations {
        let prefix = #"jobpulse_http_request_duration_seconds_bucket{route="\#(route)",method="GET",status="200",le=""#
        var buckets: [(bound: Double, count: Double)] = []
        for line in exposition.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            guard let quote = rest.firstIndex(of: "\""), let space = rest.lastIndex(of: " "),
                let bound = Double(rest[..<quote] == "+Inf" ? "inf" : rest[..<quote]), let count = Double(rest[rest.index(after: space)...])
            else { continue }
            buckets.append((bound, count))
        }
        return ServerRequestDurations(buckets: buckets.sorted { $0.bound < $1.bound })
    }

    /// The requests counted since `earlier`.
    func since(_ earlier: ServerRequestDurations) -> ServerRequestDurations {
        let before = Dictionary(earlier.buckets.map { ($0.bound, $0.count) }, uniquingKeysWith: max)
        return ServerRequestDurations(buckets: buckets.map { ($0.bound, $0.count - (before[$0.bound] ?? 0)) })
    }

    var total: Double { buckets.last?.count ?? 0 }

    /// The share of the requests answered within `seconds` (a bucket's bound), or nil with none.
    func share(within seconds: Double) -> Double? {
        guard total > 0, let bucket = buckets.first(where: { $0.bound >= seconds }) else { return nil }
        return bucket.count / total
    }

    /// The smallest bound within which `percent` % of the requests were answered: the
    /// percentile, rounded up to the histogram's resolution.
    func bound(ofPercentile percent: Double) -> Double? {
        guard total > 0 else { return nil }
        return buckets.first { $0.count >= total * percent / 100 }?.bound
    }
}
