import Hummingbird
import JobPulseWarehouse

/// The page at `/`, the JSON behind each of its panels under `/api`, and the stream of commits
/// that tells an open page to refresh.
struct DashboardRoutes: Sendable {
    let answers: DashboardAnswers
    let feed: CommitFeed
    let page: ByteBuffer

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: page))
        }
        group.get("/api/summary") { request, _ in try Response.json(try await answers.summary(DashboardFilter(query: request))) }
        group.get("/api/top-jobs") { request, _ in
            let limit = try IntegerParameter.limit.value(in: request) ?? JobActivity.pageLimit
            return try Response.json(try await answers.topJobs(DashboardFilter(query: request), limit: limit))
        }
        group.get("/api/hourly") { request, _ in try Response.json(try await answers.hourly(DashboardFilter(query: request))) }
        group.get("/api/publishers") { request, _ in try Response.json(try await answers.breakdown(DashboardFilter(query: request), by: .publisher)) }
        group.get("/api/campaigns") { request, _ in try Response.json(try await answers.breakdown(DashboardFilter(query: request), by: .campaign)) }
        group.get("/api/filters") { _, _ in try Response.json(try await answers.filters()) }
        group.get("/api/stream") { _, _ in
            let stream = feed.subscribe()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    for await message in stream { try await writer.write(ByteBuffer(string: message)) }
                    try await writer.finish(nil)
                }
            )
        }
    }
}
