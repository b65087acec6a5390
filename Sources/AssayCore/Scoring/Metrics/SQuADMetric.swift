import AssayText

/// Exact match and token F1 as the official SQuAD v1.1 evaluation script computes them: lowercase, ASCII
/// punctuation removed, English articles (a, an, the) removed, whitespace collapsed; F1 over the multiset of
/// whitespace tokens; the best over the gold answers.
public enum SQuADMetric {
  static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
  static let articles: Set<String> = ["a", "an", "the"]

  /// The normalized answer (SQuAD v1.1's `normalize_answer`).
  public static func normalize(_ text: String) -> String {
    var kept = String.UnicodeScalarView()
    for scalar in text.lowercased().unicodeScalars where !(scalar.isASCII && punctuation.contains(Character(scalar))) {
      kept.append(scalar)
    }
    // Articles go as whole words (\b(a|an|the)\b, punctuation already removed), then whitespace is collapsed.
    return PythonText.split(String(kept)).filter { !articles.contains($0) }.joined(separator: " ")
  }

  /// 1 when the normalized prediction equals a normalized gold answer, else 0.
  public static func exactMatch(_ prediction: String, golds: [String]) -> Double {
    let normalized = PythonText.codePoints(normalize(prediction))
    return golds.contains { PythonText.codePoints(normalize($0)) == normalized } ? 1 : 0
  }

  /// The best token F1 over the gold answers.
  public static func f1(_ prediction: String, golds: [String]) -> Double {
    let predicted = PythonText.split(normalize(prediction)).map(PythonText.codePoints)
    return golds.map { tokenF1(predicted, PythonText.split(normalize($0)).map(PythonText.codePoints)) }.max() ?? 0
  }

  /// F1 of two token lists by their common multiset.
  static func tokenF1(_ prediction: [[UInt32]], _ gold: [[UInt32]]) -> Double {
    var counts: [[UInt32]: Int] = [:]
    for token in gold { counts[token, default: 0] += 1 }
    var common = 0
    for token in prediction where (counts[token] ?? 0) > 0 {
      counts[token]! -= 1
      common += 1
    }
    guard common > 0 else { return 0 }
    let precision = Double(common) / Double(prediction.count)
    let recall = Double(common) / Double(gold.count)
    return 2 * precision * recall / (precision + recall)
  }
}
