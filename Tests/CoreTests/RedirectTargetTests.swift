import JobPulseCore
import Testing

/// The redirect rule on the shapes browsers repair in surprising ways.
@Suite struct RedirectTargetTests {
    static let allowed: Set<String> = ["example.com", "jobs.example.test"]

    func verdict(_ text: String) -> Bool {
        (try? RedirectTarget.validate(text, allowedHosts: Self.allowed).get()) != nil
    }

    @Test(arguments: [
        "https://example.com/", "http://example.com", "https://example.com/apply/191?src=jp#top",
        "https://EXAMPLE.com/", "HTTPS://Example.COM/path", "https://example.com:8443/x", "http://example.com:1/",
        "http://example.com:65535/", "https://jobs.example.test/a@b", "https://example.com?next=https://evil.com",
        "https://example.com/%2F%2Fevil.com",
    ])
    func allowedTargetsPassUnchanged(_ text: String) throws {
        #expect(try RedirectTarget.validate(text, allowedHosts: Self.allowed).get() == text)
    }

    @Test(arguments: [
        "https://evil.com\\@example.com/", "https://example.com\\evil.com", "https://example.com.evil.com/",
        "https://evil.com/example.com", "//example.com", "//example.com/x", "/relative", "example.com",
        "https://example.com@evil.com", "https://example.com@evil.com/", "https://user:pw@example.com/",
        "https://@example.com/", "javascript:alert(1)", "JavaScript://example.com/%0Aalert(1)",
        "data:text/html,hi", "ftp://example.com/", "https:example.com", "https:/example.com", "https:///example.com",
        "https://example.com:0/", "https://example.com:65536/", "https://example.com:/", "https://example.com:80a/",
        "https://example.com:123456/", "https://exa mple.com/", "https://example.com/\tx", "https://example.com/\nx",
        "\thttps://example.com/", "https://example.com/\r\n", "https://ex\u{0}ample.com/", "https://exämple.com/",
        "https://example.com/ü", "https://example.com./", "https://[::1]/", "https://127.0.0.1/", "https://example%2Ecom/",
        "", "https://", "http://:80/", "https://evil.com#@example.com", "https://evil.com?@example.com",
    ])
    func trickyShapesAreRefused(_ text: String) {
        #expect(!verdict(text), "\(text.debugDescription) must be refused")
    }

    @Test func longTargetsAreRefusedAndTheReasonSaysWhy() throws {
        let long = "https://example.com/" + String(repeating: "a", count: RedirectTarget.maxBytes)
        #expect(!verdict(long))
        let refusal = try #require(RedirectTarget.validate("https://evil.com/", allowedHosts: Self.allowed).failure)
        #expect(refusal.description == "redirect target refused: the host evil.com is not on the allow list")
        #expect(RedirectTarget.validate("https://example.com/", allowedHosts: []).failure != nil, "an empty list allows nothing")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
