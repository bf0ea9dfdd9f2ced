import Foundation
import Hummingbird

/// HTTP basic authentication in front of the dashboard and its API.
struct BasicAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let user: String
    let password: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let credentials = String(data: decoded, encoding: .utf8), let colon = credentials.firstIndex(of: ":"),
            constantTimeEquals(String(credentials[..<colon]), user),
            constantTimeEquals(String(credentials[credentials.index(after: colon)...]), password)
        {
            return try await next(request, context)
        }
        throw HTTPError(
            .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"JobPulse\", charset=\"UTF-8\""],
            message: "sign in to see the dashboard")
    }
}
