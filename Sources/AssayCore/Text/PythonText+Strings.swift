/// More of Python's `str` methods, on code points, as IFEval's checkers call them.
extension PythonText {
  /// `text.strip()`: whitespace code points removed from both ends.
  package static func strip(_ text: String) -> String {
    trim(text, leading: true, trailing: true, where: isSpace)
  }

  /// `strip()` of a run of code points.
  package static func strip(_ scalars: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end && isSpace(scalars[start]) { start += 1 }
    while end > start && isSpace(scalars[end - 1]) { end -= 1 }
    return scalars[start..<end]
  }

  /// `text.strip(chars)`, `lstrip(chars)` or `rstrip(chars)`: the given code points removed from the chosen ends.
  package static func strip(_ text: String, _ characters: String, leading: Bool = true, trailing: Bool = true) -> String {
    let set = Set(characters.unicodeScalars)
    return trim(text, leading: leading, trailing: trailing) { set.contains($0) }
  }

  private static func trim(
    _ text: String, leading: Bool, trailing: Bool, where drop: (Unicode.Scalar) -> Bool
  ) -> String {
    let scalars = Array(text.unicodeScalars)
    var start = 0
    var end = scalars.count
    if leading { while start < end && drop(scalars[start]) { start += 1 } }
    if trailing { while end > start && drop(scalars[end - 1]) { end -= 1 } }
    if start == 0 && end == scalars.count { return text }
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars[start..<end])
    return String(result)
  }

  /// `text.lower()`: full lowercase mappings (İ becomes i + combining dot), with the final-sigma rule.
  package static func lower(_ text: String) -> String {
    PythonCharacters.string(PythonCharacters.lowercased(PythonCharacters.scalars(text)[...])[...])
  }

  /// `text.isupper()`: at least one cased code point, and none lowercase or titlecase.
  package static func isUpper(_ text: String) -> Bool {
    var cased = false
    for scalar in text.unicodeScalars {
      if scalar.properties.isLowercase || scalar.properties.generalCategory == .titlecaseLetter { return false }
      if scalar.properties.isUppercase { cased = true }
    }
    return cased
  }

  /// `text.islower()`: at least one cased code point, and none uppercase or titlecase.
  package static func isLower(_ text: String) -> Bool {
    var cased = false
    for scalar in text.unicodeScalars {
      if scalar.properties.isUppercase || scalar.properties.generalCategory == .titlecaseLetter { return false }
      if scalar.properties.isLowercase { cased = true }
    }
    return cased
  }

  /// Whether Python's `re` counts the code point in `\w`: letters, anything with a numeric value, and `_`.
  package static func isWord(_ scalar: Unicode.Scalar) -> Bool { PythonCharacters.flags(scalar).contains(.pyWord) }

  /// The number of `\w+` runs (nltk's `RegexpTokenizer(r"\w+")`, IFEval's word count).
  package static func wordCount(_ text: String) -> Int {
    var count = 0
    var inWord = false
    for scalar in text.unicodeScalars {
      let word = isWord(scalar)
      if word && !inWord { count += 1 }
      inWord = word
    }
    return count
  }

  /// `text.split(separator)` with a non-empty separator: every occurrence splits, empty pieces kept.
  package static func split(_ text: String, separator: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    let pattern = Array(separator.unicodeScalars)
    var pieces: [String] = []
    var current = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
      if index + pattern.count <= scalars.count && scalars[index..<(index + pattern.count)].elementsEqual(pattern) {
        pieces.append(String(current))
        current = String.UnicodeScalarView()
        index += pattern.count
      } else {
        current.append(scalars[index])
        index += 1
      }
    }
    pieces.append(String(current))
    return pieces
  }

  /// `text.startswith(prefix)` / `endswith(suffix)` on code points (Swift's `hasPrefix` compares graphemes).
  package static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
    text.unicodeScalars.starts(with: prefix.unicodeScalars)
  }

  /// `text.endswith(suffix)` on code points.
  package static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
    text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
  }

  /// `needle in text` on code points.
  package static func contains(_ text: String, _ needle: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    let pattern = Array(needle.unicodeScalars)
    guard !pattern.isEmpty else { return true }
    guard pattern.count <= scalars.count else { return false }
    for start in 0...(scalars.count - pattern.count) where scalars[start] == pattern[0] {
      if scalars[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
    }
    return false
  }

  /// `text.removeprefix(prefix)`.
  package static func removePrefix(_ text: String, _ prefix: String) -> String {
    guard hasPrefix(text, prefix) else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(prefix.unicodeScalars.count)))
  }

  /// `text.removesuffix(suffix)`.
  package static func removeSuffix(_ text: String, _ suffix: String) -> String {
    guard hasSuffix(text, suffix), !suffix.isEmpty else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.dropLast(suffix.unicodeScalars.count)))
  }
}
