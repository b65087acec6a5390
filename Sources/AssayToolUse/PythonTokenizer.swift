/// Python's tokenizer for one expression (`ast.parse(text, mode="eval")`'s input): names, numbers, strings with
/// their prefixes and escapes, operators, and newlines outside brackets. Anything Python's tokenizer refuses throws
/// `PythonSyntaxError`.
struct PythonTokenizer {
  enum Token: Equatable {
    case name(String)
    case number(PyValue)
    case string(StringLiteral)
    case op(String)
    case newline
    case end
  }

  /// One string literal token, before adjacent literals are joined.
  enum StringLiteral: Equatable {
    case str(String)
    case bytes([UInt8])
    case formatted
  }

  private let scalars: [Unicode.Scalar]
  private var index = 0
  private var depth = 0

  init(_ text: String) { scalars = Array(text.unicodeScalars) }

  /// Every token, ending with `.end`.
  static func tokens(_ text: String) throws -> [Token] {
    var tokenizer = PythonTokenizer(text)
    var out: [Token] = []
    while true {
      let token = try tokenizer.next()
      out.append(token)
      if token == .end { return out }
    }
  }

  private static let operators: [String] = [
    "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", ":=", "+=", "-=", "*=",
    "/=", "%=", "&=", "|=", "^=", "@=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@", "=", "+", "-", "*", "/",
    "%", "&", "|", "^", "~", "<", ">",
  ]

  private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
    index + offset < scalars.count ? scalars[index + offset] : nil
  }

  private mutating func next() throws -> Token {
    while let c = peek() {
      if c == " " || c == "\t" || c == "\u{0C}" {
        index += 1
      } else if c == "#" {
        while let d = peek(), d != "\n", d != "\r" { index += 1 }
      } else if c == "\\" {
        // An explicit line join: a backslash must end the line.
        if peek(1) == "\n" {
          index += 2
        } else if peek(1) == "\r" {
          index += peek(2) == "\n" ? 3 : 2
        } else {
          throw PythonSyntaxError("unexpected character after line continuation character")
        }
      } else if c == "\n" || c == "\r" {
        index += (c == "\r" && peek(1) == "\n") ? 2 : 1
        if depth == 0 { return .newline }
      } else {
        break
      }
    }
    guard let c = peek() else { return .end }
    if let prefix = stringPrefixLength() { return .string(try string(prefixLength: prefix)) }
    if Self.isIdentifierStart(c) { return .name(identifier()) }
    if Self.isASCIIDigit(c) || (c == "." && peek(1).map(Self.isASCIIDigit) == true) {
      return .number(try number())
    }
    for op in Self.operators where matches(op) {
      index += op.unicodeScalars.count
      if op == "(" || op == "[" || op == "{" {
        depth += 1
        // Python's tokenizer stops at 200 open brackets (MAXLEVEL).
        guard depth < 200 else { throw PythonSyntaxError("too many nested parentheses") }
      }
      if op == ")" || op == "]" || op == "}" {
        guard depth > 0 else { throw PythonSyntaxError("unmatched '\(op)'") }
        depth -= 1
      }
      return .op(op)
    }
    throw PythonSyntaxError("invalid character '\(c)' (U+\(String(c.value, radix: 16, uppercase: true)))")
  }

  private func matches(_ op: String) -> Bool {
    var offset = 0
    for scalar in op.unicodeScalars {
      guard peek(offset) == scalar else { return false }
      offset += 1
    }
    return true
  }

  static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

  static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || (c.value < 0x80 ? (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") : c.properties.isXIDStart)
  }

  static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
    c.value < 0x80 ? isIdentifierStart(c) || isASCIIDigit(c) : c.properties.isXIDContinue
  }

  private mutating func identifier() -> String {
    var name = String.UnicodeScalarView()
    while let c = peek(), Self.isIdentifierContinue(c) {
      name.append(c)
      index += 1
    }
    return String(name)
  }

  // MARK: Strings

  /// The length of a valid string prefix at the cursor (0 for none), or nil when no string literal starts here.
  private func stringPrefixLength() -> Int? {
    for length in 0...2 {
      guard let c = peek(length) else { return nil }
      if c == "'" || c == "\"" {
        let letters = String(String.UnicodeScalarView(scalars[index..<index + length])).lowercased()
        return ["", "r", "u", "f", "b", "br", "rb", "fr", "rf"].contains(letters) ? length : nil
      }
      guard (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") else { return nil }
    }
    return nil
  }

  private mutating func string(prefixLength: Int) throws -> StringLiteral {
    let prefix = String(String.UnicodeScalarView(scalars[index..<index + prefixLength])).lowercased()
    index += prefixLength
    let raw = prefix.contains("r")
    let isBytes = prefix.contains("b")
    let formatted = prefix.contains("f")
    let quote = peek()!
    let triple = peek(1) == quote && peek(2) == quote
    index += triple ? 3 : 1
    var body: [Unicode.Scalar] = []
    while true {
      guard let c = peek() else { throw PythonSyntaxError("unterminated string literal") }
      if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
        index += triple ? 3 : 1
        break
      }
      if (c == "\n" || c == "\r") && !triple { throw PythonSyntaxError("unterminated string literal") }
      if c == "\\", let escaped = peek(1) {
        body.append(c)
        body.append(escaped)
        index += 2
        continue
      }
      body.append(c)
      index += 1
    }
    if formatted { return .formatted }
    if isBytes {
      guard body.allSatisfy({ $0.value < 0x80 }) else {
        throw PythonSyntaxError("bytes can only contain ASCII literal characters")
      }
      let decoded = raw ? body : try Self.unescape(body, bytes: true)
      return .bytes(decoded.map { UInt8($0.value) })
    }
    return .str(String(String.UnicodeScalarView(raw ? body : try Self.unescape(body, bytes: false))))
  }

  /// Python's escape sequences; unknown ones keep their backslash, as Python does (with a warning).
  static func unescape(_ body: [Unicode.Scalar], bytes: Bool) throws -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    var i = 0
    func hexValue(_ count: Int) throws -> UInt32 {
      guard i + count < body.count + 1, i + count <= body.count else { throw PythonSyntaxError("truncated escape") }
      var value: UInt32 = 0
      for scalar in body[i..<i + count] {
        guard let digit = Int(String(scalar), radix: 16) else { throw PythonSyntaxError("truncated \\x escape") }
        value = value * 16 + UInt32(digit)
      }
      i += count
      return value
    }
    while i < body.count {
      let c = body[i]
      i += 1
      guard c == "\\", i < body.count else {
        out.append(c)
        continue
      }
      let e = body[i]
      i += 1
      switch e {
      case "\n": break
      case "\r": if i < body.count && body[i] == "\n" { i += 1 }
      case "\\", "'", "\"": out.append(e)
      case "a": out.append("\u{07}")
      case "b": out.append("\u{08}")
      case "f": out.append("\u{0C}")
      case "n": out.append("\n")
      case "r": out.append("\r")
      case "t": out.append("\t")
      case "v": out.append("\u{0B}")
      case "0"..."7":
        var value = e.value - 0x30
        var digits = 1
        while digits < 3, i < body.count, body[i] >= "0", body[i] <= "7" {
          value = value * 8 + body[i].value - 0x30
          i += 1
          digits += 1
        }
        if bytes { value &= 0xFF }
        guard let scalar = Unicode.Scalar(value) else { throw PythonSyntaxError("octal escape out of range") }
        out.append(scalar)
      case "x":
        let value = try hexValue(2)
        out.append(Unicode.Scalar(value)!)
      case "u" where !bytes, "U" where !bytes:
        let value = try hexValue(e == "u" ? 4 : 8)
        // A lone surrogate is a valid Python str but cannot be held here: refuse it as undecodable.
        guard let scalar = Unicode.Scalar(value) else { throw PythonSyntaxError("escape \\\(e) out of range") }
        out.append(scalar)
      case "N" where !bytes:
        throw PythonSyntaxError("\\N{...} escapes are not decoded")
      default:
        out.append("\\")
        out.append(e)
      }
    }
    return out
  }

  // MARK: Numbers

  private mutating func number() throws -> PyValue {
    let start = index
    func digits(_ isDigit: (Unicode.Scalar) -> Bool) throws {
      var previousUnderscore = true
      while let c = peek() {
        if isDigit(c) {
          previousUnderscore = false
        } else if c == "_" {
          guard !previousUnderscore, let d = peek(1), isDigit(d) else { throw PythonSyntaxError("invalid decimal literal") }
          previousUnderscore = true
        } else {
          break
        }
        index += 1
      }
    }
    if peek() == "0", let x = peek(1), "xXoObB".unicodeScalars.contains(x) {
      index += 2
      let radix = x == "x" || x == "X" ? 16 : (x == "o" || x == "O" ? 8 : 2)
      if peek() == "_" { index += 1 }
      let digitStart = index
      try digits { Int(String($0), radix: radix) != nil && $0.value < 0x80 }
      guard index > digitStart else { throw PythonSyntaxError("invalid literal") }
      try refuseIdentifierAfterNumber()
      let text = String(String.UnicodeScalarView(scalars[digitStart..<index])).replacingOccurrences(of: "_", with: "")
      guard let value = Int(text, radix: radix) else { throw PythonSyntaxError("integer literal beyond 64 bits") }
      return .int(value)
    }
    var isFloat = false
    try digits(Self.isASCIIDigit)
    let integerPart = String(String.UnicodeScalarView(scalars[start..<index]))
    if peek() == "." {
      isFloat = true
      index += 1
      if let c = peek(), Self.isASCIIDigit(c) { try digits(Self.isASCIIDigit) }
    }
    if let e = peek(), e == "e" || e == "E" {
      let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
      if let d = peek(1 + sign), Self.isASCIIDigit(d) {
        isFloat = true
        index += 1 + sign
        try digits(Self.isASCIIDigit)
      }
    }
    var imaginary = false
    if let j = peek(), j == "j" || j == "J" {
      imaginary = true
      index += 1
    }
    try refuseIdentifierAfterNumber()
    var text = String(String.UnicodeScalarView(scalars[start..<index])).replacingOccurrences(of: "_", with: "")
    if imaginary { text.removeLast() }
    if isFloat || imaginary {
      if text.hasPrefix(".") { text = "0" + text }
      text = text.replacingOccurrences(of: ".e", with: ".0e").replacingOccurrences(of: ".E", with: ".0E")
      if text.hasSuffix(".") { text += "0" }
      guard let value = Double(text) else { throw PythonSyntaxError("invalid float literal") }
      return imaginary ? .complex(0, value) : .float(value)
    }
    let plain = integerPart.replacingOccurrences(of: "_", with: "")
    if plain.count > 1 && plain.hasPrefix("0") {
      guard plain.allSatisfy({ $0 == "0" }) else {
        throw PythonSyntaxError("leading zeros in decimal integer literals are not permitted")
      }
      return .int(0)
    }
    if let value = Int(plain) { return .int(value) }
    return .bigInt(plain)
  }

  private func refuseIdentifierAfterNumber() throws {
    if let c = peek(), Self.isIdentifierContinue(c) { throw PythonSyntaxError("invalid decimal literal") }
  }
}

/// Python's parser refused the text (`SyntaxError`).
public struct PythonSyntaxError: Error, Equatable, CustomStringConvertible {
  public let description: String
  init(_ message: String) { description = message }
}
