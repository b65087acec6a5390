/// One word token with Punkt's annotations (nltk's `PunktToken`), on code points.
struct PunktToken {
  /// The token's text.
  let text: ArraySlice<Unicode.Scalar>
  /// Lowercased, with a number-like token replaced by `##number##`.
  let type: [Unicode.Scalar]
  /// Whether the token ends in a period.
  let periodFinal: Bool
  // The annotations the two passes set.
  var sentenceBreak = false
  var abbreviation = false
  var ellipsis = false

  static let numberType = Array("##number##".unicodeScalars)

  init(_ text: ArraySlice<Unicode.Scalar>) {
    self.text = text
    periodFinal = text.last == "."
    type = Self.type(of: PythonCharacters.lowercased(text))
  }

  /// `_RE_NUMERIC.sub("##number##", lowered)` for `^-?[\.,]?\d[\d,\.-]*\.?$`.
  private static func type(of lowered: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var position = 0
    let count = lowered.count
    if position < count && lowered[position] == "-" { position += 1 }
    if position < count && (lowered[position] == "." || lowered[position] == ",") { position += 1 }
    guard position < count, PythonCharacters.flags(lowered[position]).contains(.regexDigit) else { return lowered }
    position += 1
    while position < count {
      let scalar = lowered[position]
      guard scalar == "," || scalar == "." || scalar == "-" || PythonCharacters.flags(scalar).contains(.regexDigit)
      else { break }
      position += 1
    }
    // `$` also matches before a final newline, which the substitution leaves in place.
    if position == count { return numberType }
    if position == count - 1 && lowered[position] == "\n" { return numberType + ["\n"] }
    return lowered
  }

  /// The type without its final period, if it has one and is longer than it.
  var typeNoPeriod: ArraySlice<Unicode.Scalar> {
    type.count > 1 && type.last == "." ? type.dropLast() : type[...]
  }

  /// The type without a final period that is a sentence break.
  var typeNoSentencePeriod: ArraySlice<Unicode.Scalar> {
    sentenceBreak ? typeNoPeriod : type[...]
  }

  /// `tok[0].isupper()` and `tok[0].islower()`.
  var firstUpper: Bool { PythonCharacters.flags(text.first!).contains(.upper) }
  var firstLower: Bool { PythonCharacters.flags(text.first!).contains(.lower) }

  /// Whether the text is all periods, at least two (`\.\.+$`).
  var isEllipsis: Bool {
    var body = text
    if body.last == "\n" { body = body.dropLast() }
    return body.count >= 2 && body.allSatisfy { $0 == "." }
  }

  /// `[^\W\d]\.$`: one letter-like word character and a period.
  var isInitial: Bool {
    var body = text
    if body.count == 3 && body.last == "\n" { body = body.dropLast() }
    guard body.count == 2, body.last == "." else { return false }
    let flags = PythonCharacters.flags(body.first!)
    return flags.contains(.regexWord) && !flags.contains(.regexDigit)
  }

  /// `_first_pass_annotation`: sentence ends, ellipses and known abbreviations by the token alone.
  mutating func annotateFirstPass(_ parameters: PunktParameters) {
    if text.count == 1 && (text.first == "." || text.first == "?" || text.first == "!") {
      sentenceBreak = true
    } else if isEllipsis {
      ellipsis = true
    } else if periodFinal && !(text.count >= 2 && text[text.endIndex - 2] == ".") {
      let lowered = PythonCharacters.lowercased(text.dropLast())
      let lastPart = lowered.split(separator: "-", omittingEmptySubsequences: false).last.map(Array.init) ?? []
      if parameters.abbreviationTypes.contains(lowered) || parameters.abbreviationTypes.contains(lastPart) {
        abbreviation = true
      } else {
        sentenceBreak = true
      }
    }
  }
}
