import Foundation
import Hummingbird
import JobPulseClock
import JobPulseCore
import JobPulseLake

/// `POST /v1/events` and `GET /t/{kind}`.
struct IngestionRoutes: Sendable {
    let collector: Collector
    let configuration: ServerConfiguration
    let clock: WallClock

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/events") { request, context in try await self.postEvents(request, context) }
        router.get("/t/:kind") { request, context in try await self.pixel(request, context) }
    }

    /// Refuses ingestion without a configured key: 401, nothing stored.
    private func authorize(_ request: Request, queryKey: String? = nil) throws {
        try APIKeyCheck(keys: configuration.apiKeys).authorize(request, queryKey: queryKey)
    }

    /// `POST /v1/events`. With `Idempotency-Key` (1-255 printable ASCII characters), a retry of
    /// the same request within the lake's key window (24 h by default) stores nothing and gets
    /// the first answer again, marked `Idempotency-Replayed: true`; the same key with another
    /// body gets 422, and one whose first request is still being written 409 with `Retry-After`.
    func postEvents(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try authorize(request)
        let key = try Self.idempotencyKey(request)
        guard let format = IntakeBody.Format(contentType: request.headers[.contentType]) else {
            throw HTTPError(.unsupportedMediaType, message: "send application/json (an array of events) or application/x-ndjson (one event per line)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            throw HTTPError(.contentTooLarge, message: "the body is \(length) bytes; the limit is \(configuration.maxBodyBytes)")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "the body is larger than the limit of \(configuration.maxBodyBytes) bytes")
        }
        let elements: [EventBody.Element]
        do {
            elements = try IntakeBody.read(Array(body.readableBytesView), format: format)
        } catch {
            throw HTTPError(.badRequest, message: "the body is not readable JSON: \(error)")
        }
        var batch = IntakeBatch(origin: "http", futureTolerance: configuration.futureTolerance, clock: clock)
        for (index, element) in elements.enumerated() {
            switch element {
            case .success(let event): batch.admit(event, location: index, raw: { EventBody.json(event) })
            case .failure(let error): batch.reject(location: index, reason: error.description, raw: "")
            }
        }
        guard let key else {
            let rejections = batch.rejections
            let count = try await collector.store(batch)
            return try Response.json(IntakeResponse(count, errors: rejections.map { ($0.location, $0.reason) }))
        }
        let fingerprint = RequestFingerprint.of(body.readableBytesView, format: format)
        let stored: (receipt: IntakeReceipt, replayed: Bool)
        do {
            stored = try await collector.store(batch, key: key, fingerprint: fingerprint)
        } catch let error as IntakeKeyError {
            throw Self.httpError(error)
        }
        if stored.replayed, let first = stored.receipt.fingerprint, first != fingerprint {
            throw Self.httpError(.reusedForOtherContent(key))
        }
        var response = try Response.json(IntakeResponse(stored.receipt.count, errors: stored.receipt.rejectedRows.map { ($0.location, $0.reason) }))
        if stored.replayed { response.headers[.idempotencyReplayed] = "true" }
        return response
    }

    /// The request's `Idempotency-Key`, `nil` without one; 400 naming the header when it is
    /// present but not a key, or given twice.
    static func idempotencyKey(_ request: Request) throws -> IntakeKey? {
        let values = request.headers[values: .idempotencyKey]
        guard !values.isEmpty else { return nil }
        guard values.count == 1, let key = IntakeKey(values[0]) else {
            throw HTTPError(.badRequest, message: "the Idempotency-Key header must be one value of 1 to \(IntakeKey.maxLength) printable ASCII characters")
        }
        return key
    }

    static func httpError(_ error: IntakeKeyError) -> HTTPError {
        switch error {
        case .inProgress(_, let retryAfter):
            HTTPError(.conflict, headers: [.retryAfter: "\(retryAfter.components.seconds + 1)"], message: error.description)
        case .reusedForOtherContent:
            HTTPError(.unprocessableContent, message: error.description)
        }
    }

    func pixel(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let query = FormQuery(request)
        try authorize(request, queryKey: query["api_key"])
        let kind = context.parameters.get("kind") ?? ""
        var redirect: String?
        if let target = query["redirect"] {
            switch RedirectTarget.validate(target, allowedHosts: configuration.redirectHosts) {
            case .success(let allowed): redirect = allowed
            case .failure(let refusal): throw HTTPError(.badRequest, message: "\(refusal) (allowed hosts are set with --redirect-host)")
            }
        }
        let now = clock.now
        var event = RawEvent()
        for (name, value) in query.pairs where name != "redirect" && name != "api_key" {
            if let field = TrackingField(columnName: String(name)) { event[field] = String(value) }
        }
        event[.customTrack] = kind
        event[.ts] = event[.ts] ?? Timestamp.sql(now)
        event[.ua] = event[.ua] ?? request.headers[.userAgent]
        event[.dl] = event[.dl] ?? request.headers[.referer]
        var batch = IntakeBatch(origin: "pixel", futureTolerance: configuration.futureTolerance, clock: clock)
        batch.admit(event, location: 0, raw: { EventBody.json(event) })
        let count = try await collector.store(batch)
        if count.rejected > 0, let reason = batch.rejections.first?.reason {
            throw HTTPError(.badRequest, message: reason)
        }
        if let redirect {
            return Response(status: .found, headers: [.location: redirect, .cacheControl: "no-store"])
        }
        return Response(
            status: .ok,
            headers: [.contentType: "image/gif", .cacheControl: "no-store, max-age=0"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.transparentGIF))
        )
    }

    /// A 1x1 transparent GIF.
    static let transparentGIF: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]
}

extension HTTPFields.Element.Name {
    /// Names a `POST /v1/events` so that sending it again stores nothing new.
    public static var idempotencyKey: Self { Self("Idempotency-Key")! }
    /// `true` on the answer to a request whose key was already recorded: nothing was stored.
    public static var idempotencyReplayed: Self { Self("Idempotency-Replayed")! }
}

/// Compares secrets without leaking, through timing, how much of them matched.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var difference = UInt8(x.count == y.count ? 0 : 1)
    for index in 0..<max(x.count, y.count) {
        difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
    }
    return difference == 0
}
