/// `nltk.word_tokenize(text)` with its defaults: Punkt sentences, then nltk's improved Treebank tokenizer
/// (`NLTKWordTokenizer`, parentheses not converted) on each.
public struct NLTKWordTokenizer: Sendable {
  /// The sentence splitter run first (nltk's English Punkt model for `word_tokenize`).
  public let sentences: PunktSentenceTokenizer

  /// A word tokenizer splitting sentences with the given Punkt tokenizer.
  public init(sentences: PunktSentenceTokenizer) {
    self.sentences = sentences
  }

  /// The word tokens of `text`, sentence by sentence.
  public func tokenize(_ text: String) -> [String] {
    let scalars = PythonCharacters.scalars(text)
    var tokens: [String] = []
    for span in sentences.spans(scalars) where !span.isEmpty {
      for token in Self.tokenizeSentence(scalars[span]) { tokens.append(PythonCharacters.string(token)) }
    }
    return tokens
  }

  /// `NLTKWordTokenizer().tokenize(sentence)`: nltk's regex substitutions in nltk's order, each a scanner that
  /// rewrites the whole text as `re.sub` does (matches found in the input, left to right, never overlapping).
  static func tokenizeSentence(_ sentence: ArraySlice<Unicode.Scalar>) -> [ArraySlice<Unicode.Scalar>] {
    var text = Array(sentence)
    // STARTING_QUOTES
    text = padStartingQuotes(text)
    if text.first == "\"" { text.replaceSubrange(0..<1, with: ["`", "`"]) }
    text = padPairs(text, "`")
    text = openingDoubleQuotes(text)
    text = openingSingleQuotes(text)
    // PUNCTUATION
    text = splitFinalPeriod(text, closers: isFinalCloserOrSpace, spaceBeforeClosers: true)
    text = padColonsAndCommas(text)
    text = padFinalColonOrComma(text)
    text = padPeriodRuns(text)
    // `[;@#$%&]` and `[\u2012-\u2015]` (figure dash to horizontal bar) at once: padding single characters commutes.
    text = pad(text) {
      switch $0 {
      case ";", "@", "#", "$", "%", "&", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}": return true
      default: return false
      }
    }
    text = splitFinalPeriod(text, closers: isFinalCloser, spaceBeforeClosers: false)
    text = pad(text) { $0 == "?" || $0 == "!" }
    text = padQuoteBeforeSpace(text)
    text = pad(text) { $0 == "*" }
    // PARENS_BRACKETS, DOUBLE_DASHES
    text = pad(text) {
      switch $0 {
      case "[", "]", "(", ")", "{", "}", "<", ">": return true
      default: return false
      }
    }
    text = padPairs(text, "-")
    text.insert(" ", at: 0)
    text.append(" ")
    // ENDING_QUOTES
    text = pad(text) { $0 == "\u{BB}" || $0 == "\u{201D}" || $0 == "\u{2019}" }
    text = padPairs(text, "'")
    text = replaceDoubleQuotes(text)
    text = collapseWhitespace(text)
    text = splitShortClitics(text)
    text = splitLongClitics(text)
    // CONTRACTIONS2, CONTRACTIONS3
    for contraction in Contraction.all { text = split(text, contraction) }
    return text.split(omittingEmptySubsequences: true, whereSeparator: PythonCharacters.isPySpace)
  }

  // MARK: Character sets of the patterns

  /// `[\]\)}>"\']`, the closers after a final period.
  private static func isFinalCloser(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "]", ")", "}", ">", "\"", "'": return true
    default: return false
    }
  }

  /// `[\]\)}>"\'»”’ ]`, the closers of the first PUNCTUATION rule, with curly quotes and the space.
  private static func isFinalCloserOrSpace(_ scalar: Unicode.Scalar) -> Bool {
    isFinalCloser(scalar) || scalar == " " || scalar == "\u{BB}" || scalar == "\u{201D}" || scalar == "\u{2019}"
  }

  // MARK: Substitutions

  /// `[class]` → ` \g<0> ` for a one-character class.
  private static func pad(_ text: [Unicode.Scalar], where matches: (Unicode.Scalar) -> Bool) -> [Unicode.Scalar] {
    guard text.contains(where: matches) else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    for scalar in text {
      if matches(scalar) { result.appendPadded(scalar) } else { result.append(scalar) }
    }
    return result
  }

  /// `([«“‘„]|[`]+)` → ` \1 `.
  private static func padStartingQuotes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    let isQuote = { (scalar: Unicode.Scalar) in
      scalar == "`" || scalar == "\u{AB}" || scalar == "\u{201C}" || scalar == "\u{2018}" || scalar == "\u{201E}"
    }
    guard text.contains(where: isQuote) else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      let scalar = text[index]
      guard isQuote(scalar) else {
        result.append(scalar)
        index += 1
        continue
      }
      var end = index + 1
      if scalar == "`" { while end < text.count && text[end] == "`" { end += 1 } }
      result.append(" ")
      result.append(contentsOf: text[index..<end])
      result.append(" ")
      index = end
    }
    return result
  }

  /// `(``)` → ` \1 `, `--` → ` -- ` and `''` → ` '' `: a doubled character padded, pairs taken left to right.
  private static func padPairs(_ text: [Unicode.Scalar], _ character: Unicode.Scalar) -> [Unicode.Scalar] {
    guard text.contains(character) else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      if text[index] == character && index + 1 < text.count && text[index + 1] == character {
        result.appendPadded(character, character)
        index += 2
      } else {
        result.append(text[index])
        index += 1
      }
    }
    return result
  }

  /// `\.{2,}` → ` \g<0> `.
  private static func padPeriodRuns(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains(".") else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      guard text[index] == "." else {
        result.append(text[index])
        index += 1
        continue
      }
      var end = index + 1
      while end < text.count && text[end] == "." { end += 1 }
      if end - index >= 2 { result.append(" ") }
      result.append(contentsOf: text[index..<end])
      if end - index >= 2 { result.append(" ") }
      index = end
    }
    return result
  }

  /// `([ \(\[{<])(\"|\'{2})` → `\1 `` `.
  private static func openingDoubleQuotes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains("\"") || text.contains("'") else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      let scalar = text[index]
      result.append(scalar)
      index += 1
      guard scalar == " " || scalar == "(" || scalar == "[" || scalar == "{" || scalar == "<" else { continue }
      if index < text.count && text[index] == "\"" {
        index += 1
      } else if index + 1 < text.count && text[index] == "'" && text[index + 1] == "'" {
        index += 2
      } else {
        continue
      }
      result.appendPadded("`", "`")
    }
    return result
  }

  /// `(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)` → `\1 `: an opening single quote before a word that is
  /// not a clitic (`regex` module classes and case folding).
  private static func openingSingleQuotes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains("'") else { return text }
    let isWord = { (position: Int) in
      position >= 0 && position < text.count && PythonCharacters.flags(text[position]).contains(.regexWord)
    }
    var result = [Unicode.Scalar](capacity: text.count)
    for index in text.indices {
      result.append(text[index])
      guard text[index] == "'", !isWord(index - 1), isWord(index + 1) else { continue }
      let isClitic = clitics.contains { clitic in
        let end = index + 1 + clitic.count
        guard end <= text.count else { return false }
        for (offset, letter) in clitic.enumerated() {
          // Simple case folding: the letter in either case, and ſ for s.
          let scalar = text[index + 1 + offset]
          guard scalar == letter || scalar.value == letter.value - 32 || (letter == "s" && scalar == "\u{17F}") else {
            return false
          }
        }
        return !isWord(end)
      }
      if !isClitic { result.append(" ") }
    }
    return result
  }

  private static let clitics: [[Unicode.Scalar]] = ["re", "ve", "ll", "m", "t", "s", "d", "n"].map {
    Array($0.unicodeScalars)
  }

  /// `([^\.])(\.)([\]\)}>"\'»”’ ]*+)\s*$` → `\1 \2 \3 ` (the first PUNCTUATION rule) and
  /// `([^\.])(\.)([\]\)}>"\']*)\s*$` → `\1 \2\3 ` (the later final-period rule): the last period, when only closing
  /// quotes, brackets and whitespace follow it and no period precedes it.
  private static func splitFinalPeriod(
    _ text: [Unicode.Scalar], closers: (Unicode.Scalar) -> Bool, spaceBeforeClosers: Bool
  ) -> [Unicode.Scalar] {
    guard let period = text.lastIndex(of: "."), period >= 1, text[period - 1] != "." else { return text }
    var end = period + 1
    while end < text.count && closers(text[end]) { end += 1 }
    guard text[end...].allSatisfy(PythonCharacters.isRegexSpace) else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    result.append(contentsOf: text[..<period])
    result.append(" ")
    result.append(".")
    if spaceBeforeClosers { result.append(" ") }
    result.append(contentsOf: text[(period + 1)..<end])
    result.append(" ")
    return result
  }

  /// `([:,])([^\d])` → ` \1 \2`.
  private static func padColonsAndCommas(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains(where: { $0 == ":" || $0 == "," }) else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      let scalar = text[index]
      if (scalar == ":" || scalar == ",") && index + 1 < text.count
        && !PythonCharacters.flags(text[index + 1]).contains(.regexDigit)
      {
        result.appendPadded(scalar)
        result.append(text[index + 1])
        index += 2
      } else {
        result.append(scalar)
        index += 1
      }
    }
    return result
  }

  /// `([:,])$` → ` \1 `: at the end, or before a final newline.
  private static func padFinalColonOrComma(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    let count = text.count
    let position = count >= 2 && text[count - 1] == "\n" ? count - 2 : count - 1
    guard position >= 0, text[position] == ":" || text[position] == "," else { return text }
    var result = text
    result.replaceSubrange(position..<(position + 1), with: [" ", text[position], " "])
    return result
  }

  /// `([^'])' ` → `\1 ' `.
  private static func padQuoteBeforeSpace(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains("'") else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      let scalar = text[index]
      if scalar != "'" && index + 2 < text.count && text[index + 1] == "'" && text[index + 2] == " " {
        result.append(scalar)
        result.appendPadded("'")
        index += 3
      } else {
        result.append(scalar)
        index += 1
      }
    }
    return result
  }

  /// `"` → ` '' `.
  private static func replaceDoubleQuotes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains("\"") else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    for scalar in text {
      if scalar == "\"" { result.appendPadded("'", "'") } else { result.append(scalar) }
    }
    return result
  }

  /// `\s+` → ` ` (`regex` module whitespace).
  private static func collapseWhitespace(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var result = [Unicode.Scalar](capacity: text.count)
    var inSpace = false
    for scalar in text {
      if PythonCharacters.isRegexSpace(scalar) {
        if !inSpace { result.append(" ") }
        inSpace = true
      } else {
        result.append(scalar)
        inSpace = false
      }
    }
    return result
  }

  /// `([^' ])('[sS]|'[mM]|'[dD]|') ` → `\1 \2 `.
  private static func splitShortClitics(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains("'") else { return text }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      let scalar = text[index]
      if scalar != "'" && scalar != " " && index + 2 < text.count && text[index + 1] == "'" {
        let letter = text[index + 2]
        let isClitic = letter == "s" || letter == "S" || letter == "m" || letter == "M" || letter == "d" || letter == "D"
        if isClitic && index + 3 < text.count && text[index + 3] == " " {
          result.append(scalar)
          result.appendPadded("'", letter)
          index += 4
          continue
        }
        if letter == " " {
          result.append(scalar)
          result.appendPadded("'")
          index += 3
          continue
        }
      }
      result.append(scalar)
      index += 1
    }
    return result
  }

  /// `([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ` → `\1 \2 `.
  private static func splitLongClitics(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard text.contains("'") else { return text }
    let isClitic = { (a: Unicode.Scalar, b: Unicode.Scalar, c: Unicode.Scalar) -> Bool in
      switch (a, b, c) {
      case ("'", "l", "l"), ("'", "L", "L"), ("'", "r", "e"), ("'", "R", "E"), ("'", "v", "e"), ("'", "V", "E"),
        ("n", "'", "t"), ("N", "'", "T"):
        return true
      default:
        return false
      }
    }
    var result = [Unicode.Scalar](capacity: text.count)
    var index = 0
    while index < text.count {
      let scalar = text[index]
      if scalar != "'" && scalar != " " && index + 4 < text.count && text[index + 4] == " "
        && isClitic(text[index + 1], text[index + 2], text[index + 3])
      {
        result.append(scalar)
        result.append(" ")
        result.append(contentsOf: text[(index + 1)..<(index + 4)])
        result.append(" ")
        index += 5
      } else {
        result.append(scalar)
        index += 1
      }
    }
    return result
  }

  /// `(?i)\b(can)(not)\b` → ` \1 \2 ` and the other MacIntyre contractions (stdlib `re`).
  private static func split(_ text: [Unicode.Scalar], _ contraction: Contraction) -> [Unicode.Scalar] {
    let length = contraction.first.count + contraction.second.count
    let isWord = { (position: Int) in
      position >= 0 && position < text.count && PythonCharacters.flags(text[position]).contains(.pyWord)
    }
    var result: [Unicode.Scalar] = []
    var index = 0
    var copied = 0
    while index + length <= text.count {
      let end = index + length
      // Cheap first test: no first letter (c, d, g, l, m, w or a space) has a non-ASCII case variant.
      guard text[index].value | 0x20 == contraction.first[0].value, contraction.matches(text, at: index) else {
        index += 1
        continue
      }
      let boundaryBefore = contraction.afterSpace ? text[index] == " " : !isWord(index - 1)
      let boundaryAfter =
        contraction.spaceAfter ? end < text.count && PythonCharacters.isPySpace(text[end]) : !isWord(end)
      guard boundaryBefore && boundaryAfter else {
        index += 1
        continue
      }
      if result.isEmpty { result.reserveCapacity(text.count + 8) }
      let middle = index + contraction.first.count
      result.append(contentsOf: text[copied..<index])
      result.append(" ")
      result.append(contentsOf: text[(contraction.afterSpace ? index + 1 : index)..<middle])
      result.append(" ")
      result.append(contentsOf: text[middle..<end])
      result.append(" ")
      index = end
      copied = end
    }
    guard copied > 0 else { return text }
    result.append(contentsOf: text[copied...])
    return result
  }
}

/// One of MacIntyre's contractions in nltk's CONTRACTIONS2 and CONTRACTIONS3, matched with stdlib `re`'s `(?i)`.
private struct Contraction {
  /// The first group, after a leading space for CONTRACTIONS3 (`" 't"`).
  let first: [Unicode.Scalar]
  let second: [Unicode.Scalar]
  /// CONTRACTIONS3 start with a literal space instead of `\b`.
  let afterSpace: Bool
  /// "wanna" ends with `(?=\s)` instead of `\b`.
  let spaceAfter: Bool

  init(_ first: String, _ second: String, afterSpace: Bool = false, spaceAfter: Bool = false) {
    self.first = Array(first.unicodeScalars)
    self.second = Array(second.unicodeScalars)
    self.afterSpace = afterSpace
    self.spaceAfter = spaceAfter
  }

  /// nltk's order: CONTRACTIONS2, then CONTRACTIONS3.
  static let all = [
    Contraction("can", "not"), Contraction("d", "'ye"), Contraction("gim", "me"), Contraction("gon", "na"),
    Contraction("got", "ta"), Contraction("lem", "me"), Contraction("more", "'n"),
    Contraction("wan", "na", spaceAfter: true),
    Contraction(" 't", "is", afterSpace: true), Contraction(" 't", "was", afterSpace: true),
  ]

  /// Whether both groups match at `position`, letters case-insensitively (İ and ı also match i, ſ matches s).
  func matches(_ text: [Unicode.Scalar], at position: Int) -> Bool {
    Self.matches(text, at: position, first) && Self.matches(text, at: position + first.count, second)
  }

  private static func matches(_ text: [Unicode.Scalar], at position: Int, _ pattern: [Unicode.Scalar]) -> Bool {
    for (offset, letter) in pattern.enumerated() {
      let scalar = text[position + offset]
      if scalar == letter || (letter.value >= 0x61 && scalar.value == letter.value - 32) { continue }
      if letter == "s" && scalar == "\u{17F}" { continue }
      if letter == "i" && (scalar == "\u{130}" || scalar == "\u{131}") { continue }
      return false
    }
    return true
  }
}

extension Array<Unicode.Scalar> {
  /// An empty array with room for a rewritten text a little longer than `count`.
  fileprivate init(capacity count: Int) {
    self.init()
    reserveCapacity(count + count / 8 + 8)
  }

  /// Appends ` a `, or ` ab ` with a second scalar.
  fileprivate mutating func appendPadded(_ first: Unicode.Scalar, _ second: Unicode.Scalar? = nil) {
    append(" ")
    append(first)
    if let second { append(second) }
    append(" ")
  }
}
