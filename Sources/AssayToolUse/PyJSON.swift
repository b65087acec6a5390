/// `json.loads` into `PyValue`: integers stay `int` and numbers with a fraction or exponent become `float`, as
/// Python reads BFCL's function documents and ground truth (Foundation's reader merges the two).
///
/// ```swift
/// try PyJSON.parse(#"{"a": [1, 1.0, true]}"#)   // {'a': [1, 1.0, True]}
/// ```
public enum PyJSON {
  /// A JSON text that Python's reader would refuse.
  public struct ParseError: Error, CustomStringConvertible {
    public let description: String
  }

  /// The value of one JSON document.
  public static func parse(_ text: String) throws -> PyValue {
    var reader = Reader(bytes: Array(text.utf8))
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.index == reader.bytes.count else { throw ParseError(description: "extra data at byte \(reader.index)") }
    return value
  }

  private struct Reader {
    let bytes: [UInt8]
    var index = 0

    mutating func skipSpace() {
      while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    func fail(_ message: String) -> ParseError { ParseError(description: "\(message) at byte \(index)") }

    mutating func literal(_ word: String, _ value: PyValue) throws -> PyValue {
      let utf8 = Array(word.utf8)
      guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
        throw fail("invalid literal")
      }
      index += utf8.count
      return value
    }

    mutating func value(depth: Int) throws -> PyValue {
      guard depth < 512 else { throw fail("nesting too deep") }
      guard index < bytes.count else { throw fail("unexpected end") }
      switch bytes[index] {
      case UInt8(ascii: "{"):
        index += 1
        var pairs: [(PyValue, PyValue)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
          index += 1
          return .dict([])
        }
        while true {
          skipSpace()
          guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
          let key = try string()
          skipSpace()
          guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
          index += 1
          skipSpace()
          pairs.append((.str(key), try value(depth: depth + 1)))
          skipSpace()
          guard index < bytes.count else { throw fail("unterminated object") }
          if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
          guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
          index += 1
          return .makeDict(pairs)
        }
      case UInt8(ascii: "["):
        index += 1
        var items: [PyValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
          index += 1
          return .list([])
        }
        while true {
          skipSpace()
          items.append(try value(depth: depth + 1))
          skipSpace()
          guard index < bytes.count else { throw fail("unterminated array") }
          if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
          guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
          index += 1
          return .list(items)
        }
      case UInt8(ascii: "\""): return .str(try string())
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "n"): return try literal("null", .none)
      case UInt8(ascii: "N"): return try literal("NaN", .float(.nan))
      case UInt8(ascii: "I"): return try literal("Infinity", .float(.infinity))
      default: return try number()
      }
    }

    mutating func number() throws -> PyValue {
      let start = index
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
        index += 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "I") { return try literal("Infinity", .float(-.infinity)) }
      }
      func digits() -> Int {
        let from = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        return index - from
      }
      let integerDigits = digits()
      guard integerDigits > 0 else { throw fail("expected a value") }
      var isFloat = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count, bytes[index + 1] >= 0x30,
        bytes[index + 1] <= 0x39
      {
        index += 1
        isFloat = true
        _ = digits()
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
        let mark = index
        index += 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        if digits() > 0 { isFloat = true } else { index = mark }
      }
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      if isFloat {
        guard let d = Double(text) else { throw fail("invalid number") }
        return .float(d)
      }
      if let i = Int(text) { return .int(i) }
      return .bigInt(text)
    }

    mutating func string() throws -> String {
      index += 1
      var scalars = String.UnicodeScalarView()
      var run = index
      func flush() {
        if run < index { scalars.append(contentsOf: String(decoding: bytes[run..<index], as: UTF8.self).unicodeScalars) }
      }
      while true {
        guard index < bytes.count else { throw fail("unterminated string") }
        let byte = bytes[index]
        if byte == UInt8(ascii: "\"") {
          flush()
          index += 1
          return String(scalars)
        }
        if byte == UInt8(ascii: "\\") {
          flush()
          index += 1
          guard index < bytes.count else { throw fail("unterminated escape") }
          let e = bytes[index]
          index += 1
          switch e {
          case UInt8(ascii: "\""): scalars.append("\"")
          case UInt8(ascii: "\\"): scalars.append("\\")
          case UInt8(ascii: "/"): scalars.append("/")
          case UInt8(ascii: "b"): scalars.append("\u{08}")
          case UInt8(ascii: "f"): scalars.append("\u{0C}")
          case UInt8(ascii: "n"): scalars.append("\n")
          case UInt8(ascii: "r"): scalars.append("\r")
          case UInt8(ascii: "t"): scalars.append("\t")
          case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
              bytes[index + 1] == UInt8(ascii: "u")
            {
              let mark = index
              index += 2
              let low = try hex4()
              if (0xDC00..<0xE000).contains(low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
              } else {
                index = mark
              }
            }
            // A lone surrogate cannot be held in a Swift string: it becomes U+FFFD.
            scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
          default: throw fail("invalid escape")
          }
          run = index
          continue
        }
        if byte < 0x20 { throw fail("control character in string") }
        index += 1
      }
    }

    mutating func hex4() throws -> UInt32 {
      guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
      else { throw fail("invalid \\u escape") }
      index += 4
      return value
    }
  }
}
