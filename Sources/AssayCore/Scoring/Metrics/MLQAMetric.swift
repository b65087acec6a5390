import AssayText

/// Exact match and token F1 as MLQA's evaluation script computes them (lm-evaluation-harness's copy, `tasks/mlqa`):
/// lowercase, every Unicode punctuation character (category P*) and ASCII punctuation removed, the language's
/// articles removed, then whitespace tokens, or for Chinese every CJK ideograph and punctuation mark its own token.
/// Beyond MLQA's seven languages (en es hi vi de ar zh), which the reference knows: Thai is segmented like Chinese
/// (each Thai character a token, being written without spaces); Greek, Romanian, Russian and Turkish are split on
/// whitespace with no articles removed.
public enum MLQAMetric {
  /// The languages MLQA's script knows; the others are Assay's extension.
  public static let referenceLanguages: Set<String> = ["en", "es", "hi", "vi", "de", "ar", "zh"]

  static let articles: [String: String] = [
    "en": "\\b(a|an|the)\\b", "es": "\\b(un|una|unos|unas|el|la|los|las)\\b",
    "vi": "\\b(của|là|cái|chiếc|những)\\b", "de": "\\b(ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des)\\b",
    // lm-eval's form: the article prefix at the start of a word (MLQA's own pattern, `\sال^|ال`, removes "ال"
    // anywhere in a word).
    "ar": "(?:^|\\s)ال",
  ]
  static let articlePatterns: [String: PythonRegex] = articles.mapValues { PythonRegex($0) }

  /// Whether Python's `string.punctuation` or Unicode category P* holds for the code point.
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(scalar) { return true }
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default: return false
    }
  }

  /// Characters that are tokens on their own in the segmented languages: CJK U+4E00-U+9FA5 (MLQA's range), and
  /// for Thai its block.
  static func isSegmentCharacter(_ scalar: Unicode.Scalar, language: String) -> Bool {
    if (0x4E00...0x9FA5).contains(scalar.value) { return true }
    return language == "th" && (0x0E00...0x0E7F).contains(scalar.value)
  }

  /// MLQA's `normalize_answer` for a language.
  public static func normalize(_ text: String, language: String) -> String {
    var kept = String.UnicodeScalarView()
    for scalar in PythonText.lower(text).unicodeScalars where !isPunctuation(scalar) { kept.append(scalar) }
    var stripped = String(kept)
    if let pattern = articlePatterns[language] { stripped = pattern.replace(stripped, with: " ") }
    return tokens(stripped, language: language).filter { !PythonText.strip($0).isEmpty }.joined(separator: " ")
  }

  /// Whitespace tokens, or MLQA's mixed segmentation for languages written without spaces.
  static func tokens(_ text: String, language: String) -> [String] {
    guard language == "zh" || language == "th" else { return PythonText.split(text) }
    var tokens: [String] = []
    var pending = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isSegmentCharacter(scalar, language: language) || isPunctuation(scalar) {
        if !pending.isEmpty {
          tokens += PythonText.split(String(pending))
          pending = String.UnicodeScalarView()
        }
        tokens.append(String(String.UnicodeScalarView([scalar])))
      } else {
        pending.append(scalar)
      }
    }
    if !pending.isEmpty { tokens += PythonText.split(String(pending)) }
    return tokens
  }

  /// 1 when the normalized prediction equals a normalized gold answer, else 0.
  public static func exactMatch(_ prediction: String, golds: [String], language: String) -> Double {
    let normalized = PythonText.codePoints(normalize(prediction, language: language))
    return golds.contains { PythonText.codePoints(normalize($0, language: language)) == normalized } ? 1 : 0
  }

  /// The best token F1 over the gold answers (tokens of the normalized text split on whitespace).
  public static func f1(_ prediction: String, golds: [String], language: String) -> Double {
    let predicted = PythonText.split(normalize(prediction, language: language)).map(PythonText.codePoints)
    return golds.map {
      SQuADMetric.tokenF1(predicted, PythonText.split(normalize($0, language: language)).map(PythonText.codePoints))
    }.max() ?? 0
  }
}
