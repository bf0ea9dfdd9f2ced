// Redirect targets. Invariants: nothing traps; an accepted target is returned unchanged, is
// http or https, holds no backslash, space, control or non-ASCII byte, has no user info, and its
// host (lower-cased, port dropped) is exactly one of the allowed hosts.
let allowedHosts: Set<String> = ["example.com", "jobs.example.test"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard case .success(let target) = RedirectTarget.validate(text, allowedHosts: allowedHosts) else { return 0 }
    require(target == text, "the target was changed: \(target)")
    let bytes = Array(target.utf8)
    require(bytes.count <= RedirectTarget.maxBytes)
    require(bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }, "unsafe byte in \(target)")
    let lower = target.lowercased()
    let rest: Substring
    if lower.hasPrefix("https://") {
        rest = lower.dropFirst(8)
    } else if lower.hasPrefix("http://") {
        rest = lower.dropFirst(7)
    } else {
        require(false, "not http or https: \(target)")
        return 0
    }
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    require(!authority.contains("@"), "user info in \(target)")
    let host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
    require(allowedHosts.contains(String(host)), "host \(host) of \(target) is not allowed")
    return 0
}
