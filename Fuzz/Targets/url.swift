// Storage URLs and their redaction. Invariants: nothing traps; a URL that parsed describes
// itself and redacts without its password (when the password is written as it reads and occurs
// once in the text, so that finding it elsewhere proves a leak); redacting twice changes nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let redacted = StorageURL.redacted(text)
    require(StorageURL.redacted(redacted) == redacted, "redaction is not stable: \(redacted)")
    guard let url = StorageURL(text) else { return 0 }
    require(text.utf8.count <= StorageURL.maxLength)
    let description = url.description
    // Without `%` escapes the password is written as it reads, so finding it elsewhere is a leak.
    if let password = url.password, !password.isEmpty, !password.contains("*"), !text.contains("%"),
        occurrences(of: password, in: text) == 1
    {
        require(!redacted.contains(password), "redacted \(redacted) shows the password \(password)")
        // (The description lowercases the scheme and sorts the query, which can make new text.)
        let shown =
            description.utf8.count > url.scheme.utf8.count + 3
            ? String(decoding: description.utf8.dropFirst(url.scheme.utf8.count + 3), as: UTF8.self) : ""
        if url.query.isEmpty {
            require(!shown.contains(password), "description \(description) shows the password \(password)")
        }
    }
    if !url.hosts.isEmpty { require(url.host != nil && url.port == url.hosts[0].port) }
    for host in url.hosts { require(host.port.map { (1...65535).contains($0) } ?? true) }
    return 0
}

func occurrences(of needle: String, in text: String) -> Int {
    let n = Array(needle.utf8), t = Array(text.utf8)
    guard n.count <= t.count else { return 0 }
    var count = 0
    for start in 0...(t.count - n.count) where t[start..<start + n.count].elementsEqual(n) { count += 1 }
    return count
}
