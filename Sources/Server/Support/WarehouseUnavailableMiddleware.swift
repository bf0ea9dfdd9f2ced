import Hummingbird
import JobPulseWarehouse

/// Answers 503 with a JSON error, not 500, while the warehouse is still being opened (see
/// ``WarehouseOpenedInBackground``): the server is fine, the database is not there yet.
struct WarehouseUnavailableMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WarehouseUnavailable {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"], message: error.description)
        }
    }
}
