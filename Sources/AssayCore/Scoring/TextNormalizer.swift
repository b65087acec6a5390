import AssayText

/// Named, composable text normalizers used before extraction and on answers and targets.
public enum TextNormalizer: String, Sendable, CaseIterable {
  /// Strip surrounding white space.
  case trim
  /// Map every Unicode decimal digit (Bengali, Devanagari, Thai, Arabic-Indic, full-width, ...) to ASCII, and
  /// full-width or Arabic separators to their ASCII forms.
  case nativeDigits = "native_digits"
  /// Lowercase.
  case lowercase
  /// Strip trailing punctuation of any script (`.`, `。`, `!`, `।`, ...).
  case stripTrailingPunctuation = "strip_trailing_punctuation"
  /// Rewrite a number in any locale format as a canonical decimal (`1.234,50` -> `1234.5`).
  case number
  /// Remove all white space (for answers in languages written without spaces).
  case removeWhitespace = "remove_whitespace"
  /// Remove every punctuation character: ASCII punctuation (Python's `string.punctuation`), any Unicode
  /// punctuation, and the full-width and CJK marks that the Japanese QA scorers strip (the `remove_punc` list of
  /// Stability AI's lm-evaluation-harness JSQuAD metric: 。、！？「」『』【】（）・〜 ...), symbols included.
  case stripPunctuation = "strip_punctuation"
  /// KorQuAD 1.0's official `normalize_answer` (korquad.github.io, `evaluate-v1.0.py`): the quotes and brackets
  /// ' " 《 》 < > 〈 〉 ( ) ‘ ’ to spaces, lowercase, ASCII punctuation (`string.punctuation`) removed, white space
  /// runs to one space.
  case korquad

  /// Applies this normalizer.
  public func apply(_ text: String) -> String {
    switch self {
    case .trim: return text.trimmingWhitespace()
    case .nativeDigits: return Self.asciiDigits(text)
    case .lowercase: return text.lowercased()
    case .stripTrailingPunctuation:
      var scalars = Array(text.unicodeScalars)
      while let last = scalars.last, last.properties.generalCategory.isPunctuation || last == " " {
        scalars.removeLast()
      }
      return String(String.UnicodeScalarView(scalars))
    case .number: return NumberCanonicalizer.canonical(text) ?? text
    case .removeWhitespace:
      return String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
    case .stripPunctuation:
      return String(String.UnicodeScalarView(text.unicodeScalars.filter { !Self.isPunctuationMark($0) }))
    case .korquad:
      let spaced = String(String.UnicodeScalarView(text.unicodeScalars.map { Self.korquadSpaced.contains($0) ? " " : $0 }))
      // Python's str.lower() and str.split(), as the script runs them (U+001C-U+001F are white space there).
      let kept = PythonText.lower(spaced).unicodeScalars.filter { !Self.asciiPunctuation.contains($0) }
      return PythonText.split(String(String.UnicodeScalarView(kept))).joined(separator: " ")
    }
  }

  /// The marks KorQuAD 1.0's `remove_` turns into spaces.
  static let korquadSpaced: Set<Unicode.Scalar> = Set("'\"《》<>〈〉()‘’".unicodeScalars)
  /// Python's `string.punctuation`.
  static let asciiPunctuation: Set<Unicode.Scalar> = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

  /// ASCII punctuation and symbols (Python's `string.punctuation`) and the full-width marks JSQuAD scorers strip.
  static let punctuationMarks: Set<Unicode.Scalar> = Set(
    ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
      + "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏・《〈〉")
      .unicodeScalars)

  /// A punctuation mark: one of `punctuationMarks` or any Unicode punctuation category.
  static func isPunctuationMark(_ scalar: Unicode.Scalar) -> Bool {
    punctuationMarks.contains(scalar) || scalar.properties.generalCategory.isPunctuation
  }

  /// Applies normalizers by name, in order; unknown names are rejected when a suite loads.
  public static func apply(_ names: [String], to text: String) -> String {
    names.reduce(text) { partial, name in TextNormalizer(rawValue: name)?.apply(partial) ?? partial }
  }

  static func asciiDigits(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar.value < 0x80 {
        out.append(scalar)
        continue
      }
      if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
        let ascii = Unicode.Scalar(UInt32(48 + Int(value)))
      {
        out.append(ascii)
        continue
      }
      switch scalar.value {
      case 0xFF0C, 0x066C: out.append(",")  // full-width comma, Arabic thousands separator
      case 0xFF0E, 0x066B: out.append(".")  // full-width full stop, Arabic decimal separator
      case 0xFF0D, 0x2212: out.append("-")  // full-width hyphen-minus, minus sign
      case 0xFF1A: out.append(":")  // full-width colon
      default: out.append(scalar)
      }
    }
    return String(out)
  }
}

extension Unicode.GeneralCategory {
  var isPunctuation: Bool {
    switch self {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default: return false
    }
  }
}

extension String {
  /// The string without leading and trailing white space and newlines.
  func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }
}
