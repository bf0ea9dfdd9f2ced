import Hummingbird
import JobPulseCore
import JobPulseWarehouse

extension DashboardFilter {
    /// The filter in a request's query: `from` and `to` (ISO 8601 with a zone, `YYYY-MM-DD
    /// HH:MM:SS` in UTC, or epoch milliseconds), `publisher_id`, `campaign_id`.
    init(query: Request) throws {
        let parameters = FormQuery(query)
        func time(_ name: String) throws -> Int64? {
            guard let text = parameters[name], !text.isEmpty else { return nil }
            switch EventTime.parse(text) {
            case .success(let millis): return millis
            case .failure(let error):
                throw HTTPError(.badRequest, message: "\(name): " + error.description.replacingOccurrences(of: "ts ", with: ""))
            }
        }
        self.init(
            from: try time("from"), to: try time("to"),
            publisherID: try IntegerParameter.id("publisher_id").value(in: query),
            campaignID: try IntegerParameter.id("campaign_id").value(in: query))
        if let from, let to, from > to { throw HTTPError(.badRequest, message: "from is after to") }
    }
}
