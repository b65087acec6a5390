/// Whether Python's `json.loads` accepts a text, as IFEval's `json_format` checker asks: the C scanner's grammar
/// (NaN, Infinity and -Infinity allowed; ASCII digits; no raw control characters in strings; any \u escape,
/// lone surrogates included; JSON whitespace around the value; nothing after it; no byte-order mark).
package enum PythonJSON {
  package static func isValid(_ text: String) -> Bool {
    var parser = Parser(scalars: Array(text.unicodeScalars))
    if parser.scalars.first == "\u{FEFF}" { return false }
    parser.skipWhitespace()
    guard parser.value(depth: 0) else { return false }
    parser.skipWhitespace()
    return parser.position == parser.scalars.count
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var position = 0

    /// Python raises RecursionError (not ValueError) somewhere near this depth; deeper texts count as invalid.
    static let maximumDepth = 900

    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func skipWhitespace() {
      while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { position += 1 }
    }

    mutating func literal(_ word: String) -> Bool {
      let pattern = Array(word.unicodeScalars)
      guard position + pattern.count <= scalars.count,
        scalars[position..<(position + pattern.count)].elementsEqual(pattern)
      else { return false }
      position += pattern.count
      return true
    }

    mutating func value(depth: Int) -> Bool {
      guard depth < Self.maximumDepth, let scalar = current else { return false }
      switch scalar {
      case "{": return object(depth: depth)
      case "[": return array(depth: depth)
      case "\"": return string()
      case "t": return literal("true")
      case "f": return literal("false")
      case "n": return literal("null")
      case "N": return literal("NaN")
      case "I": return literal("Infinity")
      case "-":
        if literal("-Infinity") { return true }
        return number()
      default: return number()
      }
    }

    mutating func object(depth: Int) -> Bool {
      position += 1
      skipWhitespace()
      if current == "}" {
        position += 1
        return true
      }
      while true {
        guard current == "\"", string() else { return false }
        skipWhitespace()
        guard current == ":" else { return false }
        position += 1
        skipWhitespace()
        guard value(depth: depth + 1) else { return false }
        skipWhitespace()
        if current == "," {
          position += 1
          skipWhitespace()
        } else if current == "}" {
          position += 1
          return true
        } else {
          return false
        }
      }
    }

    mutating func array(depth: Int) -> Bool {
      position += 1
      skipWhitespace()
      if current == "]" {
        position += 1
        return true
      }
      while true {
        guard value(depth: depth + 1) else { return false }
        skipWhitespace()
        if current == "," {
          position += 1
          skipWhitespace()
        } else if current == "]" {
          position += 1
          return true
        } else {
          return false
        }
      }
    }

    mutating func string() -> Bool {
      position += 1
      while let scalar = current {
        position += 1
        switch scalar {
        case "\"": return true
        case "\\":
          guard let escape = current else { return false }
          position += 1
          switch escape {
          case "\"", "\\", "/", "b", "f", "n", "r", "t": continue
          case "u":
            for _ in 0..<4 {
              guard let digit = current, digit.properties.isASCIIHexDigit else { return false }
              position += 1
            }
          default: return false
          }
        default:
          if scalar.value < 0x20 { return false }
        }
      }
      return false
    }

    func isDigit(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { ("0"..."9").contains($0) } ?? false }

    mutating func number() -> Bool {
      if current == "-" { position += 1 }
      guard isDigit(current) else { return false }
      if current == "0" {
        position += 1
      } else {
        while isDigit(current) { position += 1 }
      }
      if current == ".", position + 1 < scalars.count, isDigit(scalars[position + 1]) {
        position += 1
        while isDigit(current) { position += 1 }
      }
      if current == "e" || current == "E" {
        var lookahead = position + 1
        if lookahead < scalars.count, scalars[lookahead] == "+" || scalars[lookahead] == "-" { lookahead += 1 }
        if lookahead < scalars.count, isDigit(scalars[lookahead]) {
          position = lookahead
          while isDigit(current) { position += 1 }
        }
      }
      return true
    }
  }
}
