import AssayCore

/// A parsed JSON value, from a small byte-level parser: a server's completion with the echoed prompt's
/// log-probabilities is tens of kilobytes, and Foundation's decoders spend most of a log-likelihood run's CPU on it.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The member `key` of an object (nil for other values or a missing key).
  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  /// The value as a string, if it is one.
  public var string: String? { if case .string(let value) = self { return value } else { return nil } }
  /// The value as a number, if it is one.
  public var number: Double? { if case .number(let value) = self { return value } else { return nil } }
  /// The value as an integer, if it is a whole number.
  public var int: Int? {
    guard case .number(let value) = self, value.rounded() == value, abs(value) < 9e15 else { return nil }
    return Int(value)
  }
  /// The value as an array, if it is one.
  public var array: [JSONValue]? { if case .array(let values) = self { return values } else { return nil } }

  /// Parses a whole JSON text.
  public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.position == bytes.count else { throw parser.error("trailing characters") }
    return value
  }
}

/// Why a JSON text could not be parsed, and where.
public struct JSONParseError: Error, CustomStringConvertible {
  /// What was wrong.
  public var message: String
  /// The byte offset.
  public var offset: Int
  public var description: String { "\(message) at byte \(offset)" }
}

/// A recursive-descent JSON parser over UTF-8 bytes (RFC 8259).
struct JSONParser {
  let bytes: [UInt8]
  var position = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  func error(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: position) }

  mutating func skipSpace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth < 512 else { throw error("nested too deeply") }
    skipSpace()
    guard position < bytes.count else { throw error("unexpected end") }
    switch bytes[position] {
    case UInt8(ascii: "{"):
      position += 1
      var members: [String: JSONValue] = [:]
      skipSpace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
      while true {
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name") }
        let key = try string()
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
        position += 1
        members[key] = try value(depth: depth + 1)
        skipSpace()
        guard position < bytes.count else { throw error("unexpected end in an object") }
        if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
        if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        throw error("expected ',' or '}'")
      }
    case UInt8(ascii: "["):
      position += 1
      var values: [JSONValue] = []
      skipSpace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(values) }
      while true {
        values.append(try value(depth: depth + 1))
        skipSpace()
        guard position < bytes.count else { throw error("unexpected end in an array") }
        if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
        if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(values) }
        throw error("expected ',' or ']'")
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    default:
      return .number(try number())
    }
  }

  mutating func literal(_ word: StaticString) throws(JSONParseError) {
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw error("unexpected end") }
    let matches = word.withUTF8Buffer { expected in
      (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
    }
    guard matches else { throw error("unknown literal") }
    position += count
  }

  mutating func number() throws(JSONParseError) -> Double {
    let start = position
    var integral = true
    var magnitude = 0
    var negative = false
    if position < bytes.count, bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
    var digits = 0
    while position < bytes.count {
      let byte = bytes[position]
      if byte >= 0x30 && byte <= 0x39 {
        if digits < 15 { magnitude = magnitude * 10 + Int(byte - 0x30) } else { integral = false }
        digits += 1
      } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
      {
        integral = false
      } else {
        break
      }
      position += 1
    }
    guard digits > 0 else { throw error("expected a value") }
    if integral { return Double(negative ? -magnitude : magnitude) }
    guard let value = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else { throw error("bad number") }
    return value
  }

  mutating func string() throws(JSONParseError) -> String {
    position += 1  // the opening quote
    let start = position
    // Fast path: no escapes.
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      position += 1
    }
    var scalars = Array(bytes[start..<position])
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        return String(decoding: scalars, as: UTF8.self)
      }
      if byte != UInt8(ascii: "\\") {
        scalars.append(byte)
        position += 1
        continue
      }
      position += 1
      guard position < bytes.count else { break }
      let escape = bytes[position]
      position += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append(0x22)
      case UInt8(ascii: "\\"): scalars.append(0x5C)
      case UInt8(ascii: "/"): scalars.append(0x2F)
      case UInt8(ascii: "b"): scalars.append(0x08)
      case UInt8(ascii: "f"): scalars.append(0x0C)
      case UInt8(ascii: "n"): scalars.append(0x0A)
      case UInt8(ascii: "r"): scalars.append(0x0D)
      case UInt8(ascii: "t"): scalars.append(0x09)
      case UInt8(ascii: "u"):
        var code = try hex4()
        if code >= 0xD800 && code < 0xDC00, position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
          bytes[position + 1] == UInt8(ascii: "u")
        {
          position += 2
          let low = try hex4()
          if low >= 0xDC00 && low < 0xE000 {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else {
            scalars.append(contentsOf: Array(String(Unicode.Scalar(0xFFFD)!).utf8))
            code = low
          }
        }
        // Lone surrogates become U+FFFD, as Python's and Foundation's decoders do with errors="replace".
        let scalar = Unicode.Scalar(code) ?? Unicode.Scalar(0xFFFD)!
        scalars.append(contentsOf: Array(String(scalar).utf8))
      default:
        throw error("bad escape")
      }
    }
    throw error("unterminated string")
  }

  mutating func hex4() throws(JSONParseError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("short \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt32
      switch byte {
      case 0x30...0x39: digit = UInt32(byte - 0x30)
      case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
      case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
      default: throw error("bad \\u escape")
      }
      value = value * 16 + digit
      position += 1
    }
    return value
  }
}

extension JSONValue {
  /// The value as compact JSON with sorted keys; whole numbers are written without a fraction (as the integers they
  /// were sent as, in practice), others in their shortest form.
  public var canonicalText: String {
    var out: [UInt8] = []
    append(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private func append(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
    case .number(let value):
      if let whole = int { out.append(contentsOf: String(whole).utf8) } else { out.append(contentsOf: "\(value)".utf8) }
    case .string(let value): JSONText.appendString(value, to: &out)
    case .array(let values):
      out.append(UInt8(ascii: "["))
      for (index, value) in values.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        value.append(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (index, key) in members.keys.sorted().enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        JSONText.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        members[key]!.append(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}
