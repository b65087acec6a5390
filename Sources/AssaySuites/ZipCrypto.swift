/// PKWARE's traditional zip encryption ("ZipCrypto", APPNOTE.TXT 6.1): three 32-bit keys stirred by every plain
/// byte. Weak by design, and only what GPQA's release needs: its password keeps the questions away from crawlers.
struct ZipCrypto {
  private var key0: UInt32 = 0x1234_5678
  private var key1: UInt32 = 0x2345_6789
  private var key2: UInt32 = 0x3456_7890

  /// CRC-32's byte table (polynomial 0xEDB88320), which the key update uses.
  private static let table: [UInt32] = (0..<256).map { index in
    var crc = UInt32(index)
    for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    return crc
  }

  /// Keys initialized with the password's bytes.
  init(password: [UInt8]) {
    for byte in password { update(byte) }
  }

  private static func crc(_ crc: UInt32, _ byte: UInt8) -> UInt32 {
    table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
  }

  private mutating func update(_ byte: UInt8) {
    key0 = Self.crc(key0, byte)
    key1 = (key1 &+ (key0 & 0xFF)) &* 134_775_813 &+ 1
    key2 = Self.crc(key2, UInt8(key1 >> 24))
  }

  /// Decrypts bytes in place, in order (the 12-byte encryption header first, then the data).
  mutating func decrypt(_ bytes: inout [UInt8]) {
    for index in bytes.indices {
      let temp = (key2 | 2) & 0xFFFF
      let plain = bytes[index] ^ UInt8(truncatingIfNeeded: (temp &* (temp ^ 1)) >> 8)
      bytes[index] = plain
      update(plain)
    }
  }
}
