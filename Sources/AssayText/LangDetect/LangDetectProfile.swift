import Foundation

/// One langdetect language profile (`{"freq": {gram: count}, "n_words": [n1, n2, n3], "name": code}`), read by a
/// small JSON reader that keeps keys as code points: Foundation's dictionaries would merge keys that are only
/// canonically equivalent, which Python keeps apart.
struct LangDetectProfile: Sendable {
  /// The language code (`name`).
  var name: String
  /// Each n-gram's code points and count, in file order (a repeated key's last count is the one Python keeps).
  var frequencies: [(gram: [UInt32], count: Double)]
  /// Total counts of 1-, 2- and 3-grams (`n_words`).
  var wordCounts: [Double]

  /// Parses a profile file's contents; `source` names it in errors.
  init(json: String, source: String) throws {
    var reader = Reader(bytes: Array(json.utf8), source: source)
    var name: String?
    var frequencies: [(gram: [UInt32], count: Double)] = []
    var wordCounts: [Double]?
    try reader.expect(UInt8(ascii: "{"))
    try reader.members { reader, key in
      switch String(String.UnicodeScalarView(key.compactMap(Unicode.Scalar.init))) {
      case "name":
        name = String(String.UnicodeScalarView(try reader.string().compactMap(Unicode.Scalar.init)))
      case "freq":
        try reader.expect(UInt8(ascii: "{"))
        try reader.members { reader, gram in frequencies.append((gram, try reader.number())) }
      case "n_words":
        try reader.expect(UInt8(ascii: "["))
        var counts: [Double] = []
        try reader.elements { reader in counts.append(try reader.number()) }
        wordCounts = counts
      default:
        throw reader.failure("an unexpected key")
      }
    }
    reader.skipWhitespace()
    guard reader.atEnd else { throw reader.failure("text after the object") }
    guard let name, let wordCounts else { throw reader.failure("no name or n_words") }
    self.name = name
    self.frequencies = frequencies
    self.wordCounts = wordCounts
  }

  /// A JSON reader over UTF-8 bytes for the subset the profiles use (objects, arrays, strings, numbers).
  private struct Reader {
    let bytes: [UInt8]
    let source: String
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    func failure(_ what: String) -> TextDataError {
      TextDataError(.invalidData, "langdetect profile \(source): \(what) at byte \(position)")
    }

    mutating func skipWhitespace() {
      while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == byte else {
        throw failure("expected '\(Character(Unicode.Scalar(byte)))'")
      }
      position += 1
    }

    /// Whether the next non-blank byte is `byte` (consumed if so).
    mutating func take(_ byte: UInt8) -> Bool {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == byte else { return false }
      position += 1
      return true
    }

    /// An object's members after its `{`: each key's code points, then `body` reads the value.
    mutating func members(_ body: (inout Reader, [UInt32]) throws -> Void) throws {
      if take(UInt8(ascii: "}")) { return }
      repeat {
        let key = try string()
        try expect(UInt8(ascii: ":"))
        try body(&self, key)
      } while take(UInt8(ascii: ","))
      try expect(UInt8(ascii: "}"))
    }

    /// An array's elements after its `[`.
    mutating func elements(_ body: (inout Reader) throws -> Void) throws {
      if take(UInt8(ascii: "]")) { return }
      repeat { try body(&self) } while take(UInt8(ascii: ","))
      try expect(UInt8(ascii: "]"))
    }

    /// A string's code points; `\uXXXX` pairs combine as in Python's json, a lone surrogate stays a code point.
    mutating func string() throws -> [UInt32] {
      try expect(UInt8(ascii: "\""))
      var out: [UInt32] = []
      while true {
        guard position < bytes.count else { throw failure("an unterminated string") }
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") {
          position += 1
          return out
        }
        if byte == UInt8(ascii: "\\") {
          out.append(try escape())
          continue
        }
        // UTF-8 (the bytes come from a Swift String, so they are well formed).
        let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
        guard position + length <= bytes.count else { throw failure("truncated UTF-8") }
        var value = length == 1 ? UInt32(byte) : UInt32(byte) & (0xFF >> (length + 1))
        for offset in 1..<length { value = value << 6 | UInt32(bytes[position + offset] & 0x3F) }
        out.append(value)
        position += length
      }
    }

    private mutating func hex4() throws -> UInt32 {
      guard position + 4 <= bytes.count else { throw failure("a short \\u escape") }
      var value: UInt32 = 0
      for byte in bytes[position..<(position + 4)] {
        guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { throw failure("a bad \\u escape") }
        value = value * 16 + UInt32(digit)
      }
      position += 4
      return value
    }

    private mutating func escape() throws -> UInt32 {
      position += 1
      guard position < bytes.count else { throw failure("an unterminated escape") }
      let byte = bytes[position]
      position += 1
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(byte)
      case UInt8(ascii: "b"): return 0x08
      case UInt8(ascii: "f"): return 0x0C
      case UInt8(ascii: "n"): return 0x0A
      case UInt8(ascii: "r"): return 0x0D
      case UInt8(ascii: "t"): return 0x09
      case UInt8(ascii: "u"):
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
          bytes[position + 1] == UInt8(ascii: "u")
        {
          let saved = position
          position += 2
          let low = try hex4()
          if (0xDC00..<0xE000).contains(low) { return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00) }
          position = saved
        }
        return high
      default:
        throw failure("an invalid escape")
      }
    }

    /// A JSON number as Python's `float(x)` of the parsed value (integers and decimals alike).
    mutating func number() throws -> Double {
      skipWhitespace()
      let start = position
      while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      if let integer = Int(text) { return Double(integer) }
      guard let value = Double(text) else { throw failure("a bad number") }
      return value
    }
  }
}
