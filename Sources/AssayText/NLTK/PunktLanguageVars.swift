/// nltk's English `PunktLanguageVars` patterns, as hand-written scanners over code points: the word tokenizer
/// (`word_tokenize`'s regex), candidate sentence ends (`period_context_re`) and the closing punctuation that is moved
/// back onto the sentence before it (`re_boundary_realignment`). Whitespace is the `regex` module's `\s`.
enum PunktLanguageVars {
  /// `_re_non_word_chars`: punctuation that ends a word token and may directly follow a sentence end.
  @inline(__always)
  static func isNonWord(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case ")", "\"", ";", "}", "]", "*", ":", "@", "'", "(", "{", "[",
      "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{AB}", "\u{BB}", "?", "!":
      return true
    default:
      return false
    }
  }

  /// The characters `_re_word_start` keeps from starting a word token.
  @inline(__always)
  static func cannotStartWord(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "(", "\"", "`", "{", "[", ":", ";", "&", "#", "*", "@", ")", "}", "]", "-", ",": return true
    default: return false
    }
  }

  /// Closing punctuation of `re_boundary_realignment`.
  @inline(__always)
  static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\"", "'", ")", "]", "}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{AB}", "\u{BB}": return true
    default: return false
    }
  }

  /// The end of `_re_multi_char_punct` (`-{2,}`, `.{2,}` or `(?:\.\s){2,}\.`) matched at `start`, if it matches.
  static func multiCharEnd(_ text: ArraySlice<Unicode.Scalar>, at start: Int) -> Int? {
    let end = text.endIndex
    guard start < end else { return nil }
    let first = text[start]
    if first == "-" || first == "." {
      if start + 1 < end && text[start + 1] == first {
        var position = start + 2
        while position < end && text[position] == first { position += 1 }
        return position
      }
    }
    guard first == "." else { return nil }
    // Greedy ". " repetitions, then a period; backtracking one repetition finds the period that began it.
    var repetitions = 0
    var position = start
    while position + 1 < end && text[position] == "." && PythonCharacters.isRegexSpace(text[position + 1]) {
      repetitions += 1
      position += 2
    }
    if repetitions >= 2 && position < end && text[position] == "." { return position + 1 }
    if repetitions >= 3 { return position - 1 }
    return nil
  }

  /// Whether a word token may end before `position` (the lookahead after `\S+?` in `_word_tokenize_fmt`).
  private static func wordMayEnd(_ text: ArraySlice<Unicode.Scalar>, at position: Int) -> Bool {
    let end = text.endIndex
    if position == end { return true }
    let scalar = text[position]
    if PythonCharacters.isRegexSpace(scalar) || isNonWord(scalar) { return true }
    if multiCharEnd(text, at: position) != nil { return true }
    guard scalar == "," else { return false }
    let next = position + 1
    return next == end || PythonCharacters.isRegexSpace(text[next]) || isNonWord(text[next])
      || multiCharEnd(text, at: next) != nil
  }

  /// `word_tokenize(line)`: the ranges `findall` returns, for a line without `\n`.
  static func wordRanges(_ text: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var position = text.startIndex
    let end = text.endIndex
    while position < end {
      let scalar = text[position]
      if let multiEnd = multiCharEnd(text, at: position) {
        ranges.append(position..<multiEnd)
        position = multiEnd
      } else if PythonCharacters.isRegexSpace(scalar) {
        position += 1
      } else if cannotStartWord(scalar) {
        ranges.append(position..<(position + 1))
        position += 1
      } else {
        var stop = position + 1
        while !wordMayEnd(text, at: stop) { stop += 1 }
        ranges.append(position..<stop)
        position = stop
      }
    }
    return ranges
  }

  /// One match of `period_context_re`: a sentence-end character and what follows it.
  struct EndContext {
    /// Index of the `.`, `?` or `!`.
    var position: Int
    /// The `after_tok` group: a non-word character, or whitespace and the next token.
    var after: Range<Int>
    /// Start of the `next_tok` group, when the sentence end is followed by whitespace.
    var nextToken: Int?
  }

  /// Every match of `period_context_re` in the text, in order.
  static func endContexts(_ text: [Unicode.Scalar]) -> [EndContext] {
    var contexts: [EndContext] = []
    let count = text.count
    for position in 0..<count {
      let scalar = text[position]
      guard scalar == "." || scalar == "?" || scalar == "!", position + 1 < count else { continue }
      let next = text[position + 1]
      if isNonWord(next) {
        contexts.append(EndContext(position: position, after: (position + 1)..<(position + 2), nextToken: nil))
      } else if PythonCharacters.isRegexSpace(next) {
        var start = position + 2
        while start < count && PythonCharacters.isRegexSpace(text[start]) { start += 1 }
        guard start < count else { continue }
        var stop = start + 1
        while stop < count && !PythonCharacters.isRegexSpace(text[stop]) { stop += 1 }
        contexts.append(EndContext(position: position, after: (position + 1)..<stop, nextToken: start))
      }
    }
    return contexts
  }

  /// How many leading characters of `text` `re_boundary_realignment.match` keeps with the previous sentence (its
  /// match without trailing whitespace), and where the match ends; nil if it does not match.
  static func boundaryRealignment(_ text: ArraySlice<Unicode.Scalar>) -> (kept: Int, end: Int)? {
    let end = text.endIndex
    var position = text.startIndex
    guard position < end, isCloser(text[position]) else { return nil }
    position += 1
    // Lazy `+?`: after each closer try `\s+`, `(?=--)` and `$`, else take one more closer.
    while true {
      let kept = position - text.startIndex
      if position == end { return (kept, kept) }
      if PythonCharacters.isRegexSpace(text[position]) {
        var stop = position + 1
        while stop < end && PythonCharacters.isRegexSpace(text[stop]) { stop += 1 }
        return (kept, stop - text.startIndex)
      }
      if text[position] == "-" && position + 1 < end && text[position + 1] == "-" { return (kept, kept) }
      guard isCloser(text[position]) else { return nil }
      position += 1
    }
  }
}
