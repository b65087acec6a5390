/// nltk's Punkt sentence splitter (`PunktSentenceTokenizer.tokenize` with `realign_boundaries=True`), as
/// `nltk.data.load("tokenizers/punkt/english.pickle")` and `sent_tokenize` run it in nltk 3.10.4.
public struct PunktSentenceTokenizer: Sendable {
  /// The trained model: abbreviations, collocations, sentence starters and orthographic contexts.
  public let parameters: PunktParameters

  /// A tokenizer with the given model (for nltk's English one, read `punkt_tab/english`).
  public init(parameters: PunktParameters) {
    self.parameters = parameters
  }

  /// The sentences of `text`, each a slice of it: whitespace between sentences is dropped, whitespace inside kept.
  public func tokenize(_ text: String) -> [String] {
    let scalars = PythonCharacters.scalars(text)
    return spans(scalars).map { PythonCharacters.string(scalars[$0]) }
  }

  /// `span_tokenize`: the code point ranges of the sentences.
  func spans(_ text: [Unicode.Scalar]) -> [Range<Int>] {
    realignBoundaries(text, slices: slices(text))
  }

  /// `_slices_from_text`: a sentence ends at each candidate whose context holds a sentence break.
  private func slices(_ text: [Unicode.Scalar]) -> [(start: Int, stop: Int)] {
    var slices: [(start: Int, stop: Int)] = []
    var lastBreak = 0
    for (match, context) in potentialEndContexts(text) where containsSentenceBreak(context) {
      slices.append((lastBreak, match.position + 1))
      lastBreak = match.nextToken ?? (match.position + 1)
    }
    var end = text.count
    while end > 0 && PythonCharacters.isPySpace(text[end - 1]) { end -= 1 }
    slices.append((lastBreak, end))
    return slices
  }

  /// `_match_potential_end_contexts`: each candidate with the word before it, itself and what follows. A candidate
  /// whose preceding word reaches back over the previous candidate (as in "!!!") replaces it.
  private func potentialEndContexts(_ text: [Unicode.Scalar]) -> [(PunktLanguageVars.EndContext, [Unicode.Scalar])] {
    var result: [(PunktLanguageVars.EndContext, [Unicode.Scalar])] = []
    var previousSlice = (start: 0, stop: 0)
    var previousMatch: PunktLanguageVars.EndContext?
    func context(_ slice: (start: Int, stop: Int), _ match: PunktLanguageVars.EndContext) -> [Unicode.Scalar] {
      var context: [Unicode.Scalar] = slice.start < slice.stop ? Array(text[slice.start..<slice.stop]) : []
      context.append(text[match.position])
      context.append(contentsOf: text[match.after])
      return context
    }
    for match in PunktLanguageVars.endContexts(text) {
      // `_get_last_whitespace_index`: the last ASCII whitespace before the candidate, where 0 means "none" (even
      // when the whitespace is at index 0, as in nltk).
      var lastSpace = 0
      var index = match.position - 1
      while index >= previousSlice.stop {
        if Self.isASCIISpace(text[index]) {
          lastSpace = index - previousSlice.stop
          break
        }
        index -= 1
      }
      let wordStart = lastSpace != 0 ? lastSpace + previousSlice.stop + 1 : previousSlice.start
      if let previousMatch, previousSlice.stop <= wordStart {
        result.append((previousMatch, context(previousSlice, previousMatch)))
      }
      previousMatch = match
      previousSlice = (wordStart, match.position)
    }
    if let previousMatch { result.append((previousMatch, context(previousSlice, previousMatch))) }
    return result
  }

  /// `string.whitespace`.
  private static func isASCIISpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}": return true
    default: return false
    }
  }

  /// `_realign_boundaries`: closing quotes and brackets after a sentence end move to the sentence before.
  private func realignBoundaries(_ text: [Unicode.Scalar], slices: [(start: Int, stop: Int)]) -> [Range<Int>] {
    var spans: [Range<Int>] = []
    var realign = 0
    for index in slices.indices {
      let start = slices[index].start + realign
      let stop = slices[index].stop
      guard index + 1 < slices.count else {
        if start < stop { spans.append(start..<stop) }
        break
      }
      let next = slices[index + 1]
      let following = next.start < next.stop ? text[next.start..<next.stop] : text[0..<0]
      if let match = PunktLanguageVars.boundaryRealignment(following) {
        spans.append(start..<max(start, next.start + match.kept))
        realign = match.end
      } else {
        realign = 0
        if start < stop { spans.append(start..<stop) }
      }
    }
    return spans
  }

  /// `text_contains_sentbreak`: whether a token other than the last is a sentence break after both passes.
  func containsSentenceBreak(_ text: [Unicode.Scalar]) -> Bool {
    var tokens: [PunktToken] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false)
    where line.contains(where: { !PythonCharacters.isPySpace($0) }) {
      for range in PunktLanguageVars.wordRanges(line) { tokens.append(PunktToken(line[range])) }
    }
    for index in tokens.indices { tokens[index].annotateFirstPass(parameters) }
    guard tokens.count > 1 else { return false }
    for index in 0..<(tokens.count - 1) {
      annotateSecondPass(&tokens[index], next: tokens[index + 1])
      if tokens[index].sentenceBreak { return true }
    }
    return false
  }

  /// `_second_pass_annotation`: collocations, the orthographic heuristic and sentence starters decide whether a
  /// period after an abbreviation, ellipsis, initial or number ends a sentence.
  private func annotateSecondPass(_ token: inout PunktToken, next: PunktToken) {
    guard token.periodFinal else { return }
    let type = Array(token.typeNoPeriod)
    let nextType = Array(next.typeNoSentencePeriod)
    let isInitial = token.isInitial
    if parameters.collocations.contains([type, nextType]) {
      token.sentenceBreak = false
      token.abbreviation = true
      return
    }
    if (token.abbreviation || token.ellipsis) && !isInitial {
      if orthographicHeuristic(next) == .yes {
        token.sentenceBreak = true
        return
      }
      if next.firstUpper && parameters.sentenceStarters.contains(nextType) {
        token.sentenceBreak = true
        return
      }
    }
    if isInitial || type == PunktToken.numberType {
      let starter = orthographicHeuristic(next)
      if starter == .no {
        token.sentenceBreak = false
        token.abbreviation = true
        return
      }
      // Initials followed by a word never seen in lower case are abbreviations ("J. Bach").
      if starter == .unknown && isInitial && next.firstUpper
        && (parameters.orthographicContexts[nextType] ?? 0) & Self.orthoLowercase == 0
      {
        token.sentenceBreak = false
        token.abbreviation = true
      }
    }
  }

  private enum Starter { case yes, no, unknown }

  // nltk's `_ORTHO_*` flags: beginning, middle or unknown position, with an upper or lower case first letter.
  private static let orthoMiddleUpper = 1 << 2
  private static let orthoBeginLower = 1 << 4
  private static let orthoUppercase = (1 << 1) | (1 << 2) | (1 << 3)
  private static let orthoLowercase = (1 << 4) | (1 << 5) | (1 << 6)

  /// `_ortho_heuristic`: whether the token starts a sentence, judged by the cases its type was seen in.
  private func orthographicHeuristic(_ token: PunktToken) -> Starter {
    if token.text.count == 1, let only = token.text.first, ";:,.!?".unicodeScalars.contains(only) { return .no }
    let context = parameters.orthographicContexts[Array(token.typeNoSentencePeriod)] ?? 0
    if token.firstUpper && context & Self.orthoLowercase != 0 && context & Self.orthoMiddleUpper == 0 { return .yes }
    if token.firstLower && (context & Self.orthoUppercase != 0 || context & Self.orthoBeginLower == 0) { return .no }
    return .unknown
  }
}
