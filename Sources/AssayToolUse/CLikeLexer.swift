/// Tokens of Java or JavaScript source, with their places in the text, for BFCL's call parsers. A character neither
/// language allows, or an unterminated literal, is a syntax error (tree-sitter's `ERROR` node).
struct CLikeLexer {
  enum Kind: Equatable {
    case identifier, number, string, character, template, op
  }

  struct Token: Equatable {
    let kind: Kind
    let text: String
    /// Offsets in unicode scalars of the source.
    let start: Int
    let end: Int
  }

  struct SyntaxError: Error {}

  private static let operators = [
    ">>>=", "<<=", ">>=", ">>>", "...", "===", "!==", "**=", "&&=", "||=", "??=", "->", "::", "++", "--", "&&", "||",
    "??", "?.", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", "**", "=>", "(", ")", "[", "]",
    "{", "}", ",", ";", ".", "=", "+", "-", "*", "/", "%", "!", "~", "?", ":", "<", ">", "&", "|", "^", "@",
  ]

  /// Tokens of `text`; `javaScript` allows `'...'` strings, template literals and `$`-free differences of Java.
  static func tokens(_ text: String, javaScript: Bool) throws -> [Token] {
    let scalars = Array(text.unicodeScalars)
    var tokens: [Token] = []
    var i = 0
    func slice(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(scalars[from..<to])) }
    while i < scalars.count {
      let c = scalars[i]
      if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" || (javaScript && c.properties.isWhitespace) {
        i += 1
        continue
      }
      if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "/" {
        while i < scalars.count && scalars[i] != "\n" { i += 1 }
        continue
      }
      if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "*" {
        i += 2
        while i + 1 < scalars.count && !(scalars[i] == "*" && scalars[i + 1] == "/") { i += 1 }
        guard i + 1 < scalars.count else { throw SyntaxError() }
        i += 2
        continue
      }
      let start = i
      if c == "\"" || c == "'" || (javaScript && c == "`") {
        i += 1
        while i < scalars.count && scalars[i] != c {
          if scalars[i] == "\\" { i += 1 }
          if scalars[i < scalars.count ? i : scalars.count - 1] == "\n" && c != "`" { throw SyntaxError() }
          i += 1
        }
        guard i < scalars.count else { throw SyntaxError() }
        i += 1
        let kind: Kind = c == "`" ? .template : (c == "'" && !javaScript ? .character : .string)
        tokens.append(Token(kind: kind, text: slice(start, i), start: start, end: i))
        continue
      }
      if isIdentifierStart(c) {
        while i < scalars.count && isIdentifierPart(scalars[i]) { i += 1 }
        tokens.append(Token(kind: .identifier, text: slice(start, i), start: start, end: i))
        continue
      }
      if isDigit(c) || (c == "." && i + 1 < scalars.count && isDigit(scalars[i + 1])) {
        while i < scalars.count {
          let d = scalars[i]
          if isIdentifierPart(d) || d == "." {
            i += 1
          } else if (d == "+" || d == "-") && (scalars[i - 1] == "e" || scalars[i - 1] == "E") && !slice(start, i).lowercased().hasPrefix("0x") {
            i += 1
          } else {
            break
          }
        }
        tokens.append(Token(kind: .number, text: slice(start, i), start: start, end: i))
        continue
      }
      var matched = false
      for op in operators {
        let opScalars = Array(op.unicodeScalars)
        if i + opScalars.count <= scalars.count && Array(scalars[i..<i + opScalars.count]) == opScalars {
          tokens.append(Token(kind: .op, text: op, start: i, end: i + opScalars.count))
          i += opScalars.count
          matched = true
          break
        }
      }
      guard matched else { throw SyntaxError() }
    }
    return tokens
  }

  static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

  static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || c == "$" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c.value >= 0x80 && c.properties.isIDStart)
  }

  static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
    isIdentifierStart(c) || isDigit(c) || (c.value >= 0x80 && c.properties.isIDContinue)
  }
}
