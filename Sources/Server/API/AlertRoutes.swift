import Hummingbird
import JobPulseCore
import JobPulseInsights
import JobPulseWarehouse

/// `GET /api/alerts`: the alerts the warehouse holds, firing first.
struct AlertRoutes: Sendable {
    let warehouse: any AlertWarehouse

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("/api/alerts") { request, _ in
            let state = request.uri.queryParameters.get("state") ?? "all"
            guard ["all", "firing", "resolved"].contains(state) else {
                throw HTTPError(.badRequest, message: "state must be all, firing or resolved; got \(quotedValue(state))")
            }
            return try Response.json(AlertsResponse(try await warehouse.alerts().filter { state == "all" || $0.state.rawValue == state }))
        }
    }
}

/// The answer of `GET /api/alerts`: each alert as its last notification describes it.
struct AlertsResponse: Encodable, Sendable {
    let firing: Int
    let alerts: [AlertNotification]

    init(_ alerts: [AlertRecord]) {
        firing = alerts.filter { $0.state == .firing }.count
        self.alerts = alerts.map(AlertNotification.init)
    }
}
