import NIOCore

extension ByteBuffer {
    /// Bytes written as hex pairs; spaces and line breaks are ignored.
    init(hex: String) {
        let digits = hex.filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(hex)")
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else {
                preconditionFailure("not hex: \(digits[index..<next])")
            }
            bytes.append(byte)
            index = next
        }
        self.init(bytes: bytes)
    }

    /// The readable bytes as lowercase hex pairs separated by spaces.
    var hex: String {
        readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}

/// Normalizes a hex literal the way ``ByteBuffer/hex`` prints it, for comparisons.
func normalizedHex(_ hex: String) -> String {
    ByteBuffer(hex: hex).hex
}
