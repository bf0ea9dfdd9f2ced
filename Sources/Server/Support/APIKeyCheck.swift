import Foundation
import Hummingbird

/// The API keys that guard writes (ingestion, budgets): with keys configured, a request must
/// offer one (`Authorization: Bearer <key>`, or `api_key` in the pixel's query); without any,
/// writes are open.
struct APIKeyCheck: Sendable {
    let keys: [String]

    /// Refuses the request with 401 unless it offers a configured key.
    func authorize(_ request: Request, queryKey: String? = nil) throws {
        guard !keys.isEmpty else { return }
        var offered = queryKey
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            offered = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        guard let offered, keys.contains(where: { constantTimeEquals($0, offered) }) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"jobpulse\""],
                message: "a valid API key is required (Authorization: Bearer <key>)")
        }
    }
}

/// ``APIKeyCheck`` for every route of a group.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let check: APIKeyCheck

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try check.authorize(request)
        return try await next(request, context)
    }
}
