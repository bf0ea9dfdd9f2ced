import JobPulseCore

/// A digest of a request's content (its body and how it is framed), kept with its
/// `Idempotency-Key`, so that a retry (same content) can be told from a key reused for another
/// request. FNV-1a, 64 bits: it catches a sender's mistakes (a key used twice); it is no defence
/// against someone who deliberately sends under another sender's key.
enum RequestFingerprint {
    static func of(_ body: some Sequence<UInt8>, format: IntakeBody.Format) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        add(format == .jsonArray ? 1 : 2)
        for byte in body { add(byte) }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
