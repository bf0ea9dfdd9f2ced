/// The two checksums of the v5 frame format.
enum FrameChecksums {
    /// CRC-24 of a frame header: initial value 0x875060, polynomial 0x1974F0B, each
    /// byte taken most significant bit first, bytes in wire order.
    static func crc24<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0x875060
        for byte in bytes {
            crc ^= UInt32(byte) << 16
            for _ in 0..<8 {
                crc <<= 1
                if crc & 0x100_0000 != 0 {
                    crc ^= 0x197_4F0B
                }
            }
        }
        return crc & 0xFF_FFFF
    }

    /// CRC-32 of a frame payload: the common reflected CRC-32 (polynomial 0xEDB88320),
    /// fed four fixed bytes (FA 2D 55 CA) before the payload so that an empty payload
    /// does not checksum to zero.
    static func crc32<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in [0xFA, 0x2D, 0x55, 0xCA] as [UInt8] {
            crc = crc32Table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        for byte in bytes {
            crc = crc32Table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crc32Table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 != 0 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }
}
