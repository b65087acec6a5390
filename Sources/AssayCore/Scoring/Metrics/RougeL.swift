/// ROUGE-L as Google's rouge-score computes it by default: lowercase, every run of characters other than a-z and
/// 0-9 is a separator (so text in other scripts has no tokens), no stemming; F-measure of the longest common
/// subsequence; the corpus score is the mean F-measure over lines, 0-100.
public enum RougeL {
  /// rouge-score's default tokens.
  public static func tokens(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = ""
    for scalar in text.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        current.unicodeScalars.append(scalar)
      } else if !current.isEmpty {
        tokens.append(current)
        current = ""
      }
    }
    if !current.isEmpty { tokens.append(current) }
    return tokens
  }

  /// The F-measure of one prediction against one target.
  public static func fMeasure(prediction: String, target: String) -> Double {
    let predicted = tokens(prediction)
    let expected = tokens(target)
    guard !predicted.isEmpty, !expected.isEmpty else { return 0 }
    let lcs = Double(longestCommonSubsequence(expected, predicted))
    let precision = lcs / Double(predicted.count)
    let recall = lcs / Double(expected.count)
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
  }

  /// The mean F-measure over line-aligned predictions and targets, 0-100.
  public static func corpusScore(hypotheses: [String], references: [String]) -> Double {
    let pairs = Array(zip(hypotheses, references))
    guard !pairs.isEmpty else { return 0 }
    return 100 * pairs.map { fMeasure(prediction: $0.0, target: $0.1) }.reduce(0, +) / Double(pairs.count)
  }

  static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
    var previous = [Int](repeating: 0, count: b.count + 1)
    var current = previous
    for x in a {
      for (j, y) in b.enumerated() {
        current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
