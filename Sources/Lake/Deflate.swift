import CZlib

/// zlib's deflate, one buffer at a time: how the SQLite lake stores raw event chunks.
enum Deflate {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var code: Int32
        var description: String { "zlib \(operation) failed (code \(code))" }
    }

    /// Level 1 compresses the lake's columnar chunks almost as well as the default level at a
    /// third of its cost, and the import writes hundreds of megabytes through it.
    static let level: Int32 = 1

    static func compress(_ input: [UInt8], level: Int32 = level) throws -> [UInt8] {
        var size = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(size))
        let code = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                compress2(out.baseAddress, &size, source.baseAddress, uLong(input.count), level)
            }
        }
        guard code == Z_OK else { throw Failure(operation: "compress", code: code) }
        output.removeLast(output.count - Int(size))
        return output
    }

    /// Inflates `input` into exactly `size` bytes; anything else (damaged data, another size) throws.
    static func decompress(_ input: [UInt8], size: Int) throws -> [UInt8] {
        var written = uLong(size)
        var output = [UInt8](repeating: 0, count: size)
        let code = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                uncompress(out.baseAddress, &written, source.baseAddress, uLong(input.count))
            }
        }
        guard code == Z_OK, Int(written) == size else { throw Failure(operation: "uncompress", code: code == Z_OK ? Z_DATA_ERROR : code) }
        return output
    }
}
