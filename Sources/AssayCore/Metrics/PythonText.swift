/// Text operations with Python's semantics, which the reference metric implementations use: they work on code
/// points (Swift's `Character` is a grapheme cluster, so a space followed by a combining mark would be one unit).
package enum PythonText {
  /// Whether `str.isspace()` holds for the code point (Unicode White_Space, plus the separators U+001C-U+001F).
  package static func isSpace(_ scalar: Unicode.Scalar) -> Bool { PythonCharacters.isPySpace(scalar) }

  /// `text.split()`: runs of whitespace code points separate, empty pieces dropped.
  package static func split(_ text: String) -> [String] {
    var pieces: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isSpace(scalar) {
        if !current.isEmpty { pieces.append(String(current)) }
        current = String.UnicodeScalarView()
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { pieces.append(String(current)) }
    return pieces
  }

  /// A string's code points, for keys that compare like Python strings (Swift's `==` on String compares canonical
  /// equivalents as equal: a precomposed letter and its decomposed form would count as the same n-gram).
  static func codePoints(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

  /// Counts of the token n-grams of one order, keyed by code points (`key`).
  static func ngramCounts(_ tokens: [String], order: Int) -> [[UInt32]: Int] {
    var counts: [[UInt32]: Int] = [:]
    guard tokens.count >= order else { return counts }
    for start in 0...(tokens.count - order) { counts[key(tokens[start..<(start + order)]), default: 0] += 1 }
    return counts
  }

  /// The code points of several tokens joined by U+0001 (never in a token here), as one key.
  static func key<S: Sequence>(_ tokens: S) -> [UInt32] where S.Element == String {
    var key: [UInt32] = []
    for (index, token) in tokens.enumerated() {
      if index > 0 { key.append(1) }
      key += codePoints(token)
    }
    return key
  }
}
