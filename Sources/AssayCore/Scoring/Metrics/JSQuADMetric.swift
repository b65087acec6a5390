import AssayText

/// Exact match and character F1 as JGLUE scores JSQuAD (yahoojapan/JGLUE, `fine-tuning/patch/transformers-*_jglue-1.1.0
/// .patch`, which rewrites transformers' `squad_metrics.py`): the answer is lowercased, trailing `。` are stripped,
/// white space runs become one space (no other punctuation is removed); F1 is over the code points of that text,
/// the single spaces included; an empty side scores 1 only when both are empty. Golds that normalize to nothing are
/// dropped, and with none left the only gold is the empty answer; the best score over the golds counts.
public enum JSQuADMetric {
  /// JGLUE's `normalize_answer`: `lower()`, then `rstrip("。")`, then `" ".join(text.split())`, in that order (so a
  /// `。` followed by a space stays).
  public static func normalize(_ text: String) -> String {
    let stripped = PythonText.strip(PythonText.lower(text), "。", leading: false, trailing: true)
    return PythonText.split(stripped).joined(separator: " ")
  }

  /// The golds JGLUE scores against: those that normalize to a non-empty text, or the empty answer alone.
  static func scoredGolds(_ golds: [String]) -> [[UInt32]] {
    let kept = golds.map { PythonText.codePoints(normalize($0)) }.filter { !$0.isEmpty }
    return kept.isEmpty ? [[]] : kept
  }

  /// 1 when the normalized prediction equals a scored gold's normalized text, else 0.
  public static func exactMatch(_ prediction: String, golds: [String]) -> Double {
    let predicted = PythonText.codePoints(normalize(prediction))
    return scoredGolds(golds).contains(predicted) ? 1 : 0
  }

  /// The best character F1 over the scored golds.
  public static func f1(_ prediction: String, golds: [String]) -> Double {
    let predicted = PythonText.codePoints(normalize(prediction))
    return scoredGolds(golds).map { characterF1(predicted, $0) }.max() ?? 0
  }

  /// F1 of two code-point lists by their common multiset; with an empty side, 1 when both are empty, else 0.
  static func characterF1(_ prediction: [UInt32], _ gold: [UInt32]) -> Double {
    guard !prediction.isEmpty, !gold.isEmpty else { return prediction == gold ? 1 : 0 }
    var counts: [UInt32: Int] = [:]
    for point in gold { counts[point, default: 0] += 1 }
    var common = 0
    for point in prediction where (counts[point] ?? 0) > 0 {
      counts[point]! -= 1
      common += 1
    }
    guard common > 0 else { return 0 }
    let precision = Double(common) / Double(prediction.count)
    let recall = Double(common) / Double(gold.count)
    return 2 * precision * recall / (precision + recall)
  }
}
