import Foundation
import Hummingbird
import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseWarehouse

/// Budgets, their pacing, and the bid advice: reads beside the dashboard's (`GET`, behind its
/// login when one is set), writes beside ingestion's (`PUT`, `DELETE`, behind the API keys when
/// keys are set).
struct BudgetRoutes: Sendable {
    let warehouse: any Warehouse
    let clock: WallClock
    /// The advice's window when a request gives no `from`: the 7 days before `to`.
    static let defaultAdviceWindow: Int64 = 7 * UTCDay.milliseconds
    /// A budget's JSON body is a few fields.
    static let maxBodyBytes = 16 << 10

    func registerReads(on group: RouterGroup<BasicRequestContext>) {
        group.get("/api/budgets") { request, _ in
            let campaign = try IntegerParameter.id("campaign_id").value(in: request)
            return try Response.json(BudgetsResponse(budgets: try await warehouse.budgets(campaignID: campaign).map(BudgetEntry.init)))
        }
        group.get("/api/pacing") { request, _ in
            let campaign = try IntegerParameter.id("campaign_id").value(in: request)
            let now = clock.now
            return try Response.json(PacingResponse(try await InsightQueries.pacing(warehouse, campaignID: campaign, now: now), at: now))
        }
        group.get("/api/advice") { request, _ in try await advice(request) }
    }

    func registerWrites(on group: RouterGroup<BasicRequestContext>) {
        group.put("/api/budgets/:scope/:id") { request, context in
            let (scope, id) = try Self.target(context)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxBodyBytes)
            } catch let error as HTTPResponseError where error.status == .contentTooLarge {
                throw HTTPError(.contentTooLarge, message: "the body is larger than the limit of \(Self.maxBodyBytes) bytes")
            }
            let budget = try BudgetBody.read(body, scope: scope, id: id)
            try await warehouse.setBudget(budget)
            return try Response.json(BudgetEntry(budget))
        }
        group.delete("/api/budgets/:scope/:id") { _, context in
            let (scope, id) = try Self.target(context)
            guard try await warehouse.removeBudget(scope: scope, id: id) else {
                throw HTTPError(.notFound, message: "\(scope.rawValue) \(id) has no budget")
            }
            return Response(status: .noContent)
        }
    }

    /// `GET /api/advice?campaign_id=…` or `?job_id=…`, over `[from, to]` (default: the 7 days
    /// up to now).
    func advice(_ request: Request) async throws -> Response {
        let campaign = try IntegerParameter.id("campaign_id").value(in: request)
        let job = try IntegerParameter.id("job_id").value(in: request)
        let (scope, id): (BudgetScope, Int32)
        switch (campaign, job) {
        case (let campaign?, nil): (scope, id) = (.campaign, campaign)
        case (nil, let job?): (scope, id) = (.job, job)
        default: throw HTTPError(.badRequest, message: "give exactly one of campaign_id and job_id")
        }
        let range = try DashboardFilter(query: request)
        let to = range.to ?? clock.now
        let from = range.from ?? to - Self.defaultAdviceWindow
        let rules = AdviceRules()
        let advice = try await InsightQueries.advice(warehouse, scope: scope, id: id, from: from, to: to, rules: rules)
        return try Response.json(AdviceResponse(scope: scope, id: id, from: from, to: to, rules: rules, advice: advice))
    }

    /// The `{scope}` and `{id}` of a budget's path; 404 for a scope that is not one.
    static func target(_ context: BasicRequestContext) throws -> (BudgetScope, Int32) {
        let scopeText = context.parameters.get("scope") ?? ""
        guard let scope = BudgetScope(rawValue: scopeText) else {
            throw HTTPError(.notFound, message: "a budget belongs to a campaign or a job: /api/budgets/campaign/{id} or /api/budgets/job/{id}")
        }
        let idText = context.parameters.get("id") ?? ""
        guard let id = IntegerParameter<Int32>.parse(Substring(idText)), id >= 0 else {
            throw HTTPError(.badRequest, message: "the \(scope.rawValue) id must be an integer from 0 to \(Int32.max); got \(quotedValue(idText))")
        }
        return (scope, id)
    }
}

/// The body of `PUT /api/budgets/{scope}/{id}`: `{"amount": 500, "period": "daily",
/// "currency": "USD"}`, with `starts_on` and `ends_on` (`YYYY-MM-DD`) for a lifetime budget.
struct BudgetBody: Decodable {
    let amount: Amount
    let period: String
    let startsOn: String?
    let endsOn: String?
    let currency: String?

    enum CodingKeys: String, CodingKey {
        case amount, period, currency
        case startsOn = "starts_on"
        case endsOn = "ends_on"
    }

    /// A number or a string holding one; read as text so that no decimal is lost to a double.
    struct Amount: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                self.text = "\(try container.decode(Decimal.self))"
            }
        }
    }

    /// The budget the body sets; 400 naming the field when it is not one.
    static func read(_ body: ByteBuffer, scope: BudgetScope, id: Int32) throws -> Budget {
        let fields: BudgetBody
        do {
            fields = try JSONDecoder().decode(BudgetBody.self, from: Data(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the body must be a JSON object with amount and period: \(Self.reason(error))")
        }
        do {
            let amount = try Budget.amountMicros(fields.amount.text).get()
            let period = try BudgetPeriod.parse(fields.period, from: fields.startsOn, through: fields.endsOn).get()
            let currency = try fields.currency.map { try Budget.currency($0).get() }
            return Budget(scope: scope, scopeID: id, amountMicros: amount, period: period, currency: currency, origin: .manual)
        } catch let error as BudgetError {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            context.codingPath.isEmpty
                ? "it is not a JSON object" : "\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        case .dataCorrupted: "it is not readable JSON"
        default: "it is not readable JSON"
        }
    }
}
