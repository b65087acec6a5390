import AssayText

/// Character-level F1 and exact match for languages written without spaces, as KorQuAD 1.0's official
/// `evaluate-v1.0.py` computes them: the characters of the normalized answer's white-space tokens. The answer and
/// each gold are first normalized by the suite's own `normalize` list (`korquad` for KorQuAD's rules); the F1 is the
/// bag-of-characters overlap of what is left, white space never counted, best over the golds as the SQuAD script
/// takes it. JSQuAD's official numbers follow other rules (spaces counted, two empty answers agree): `JSQuADMetric`.
public enum CharacterF1 {
  /// The characters (Unicode code points, as Python iterates a str) of a normalized text's white-space tokens
  /// (Python's `str.split()`, as KorQuAD's script splits), white space left out.
  static func characters(_ text: String) -> [Unicode.Scalar] {
    PythonText.split(text).flatMap(\.unicodeScalars)
  }

  /// The best bag-of-characters F1 over the golds (0 for no golds; 0 when nothing is shared, both sides empty
  /// included, as KorQuAD's `f1_score` returns when `num_same == 0`).
  public static func f1(_ prediction: String, golds: [String]) -> Double {
    golds.map { f1(prediction, $0) }.max() ?? 0
  }

  /// The bag-of-characters F1 of one prediction against one gold.
  public static func f1(_ prediction: String, _ gold: String) -> Double {
    let predicted = characters(prediction), expected = characters(gold)
    var counts: [Unicode.Scalar: Int] = [:]
    for scalar in expected { counts[scalar, default: 0] += 1 }
    var same = 0
    for scalar in predicted where (counts[scalar] ?? 0) > 0 {
      counts[scalar]! -= 1
      same += 1
    }
    guard same > 0 else { return 0 }
    let precision = Double(same) / Double(predicted.count), recall = Double(same) / Double(expected.count)
    return 2 * precision * recall / (precision + recall)
  }

  /// 1 when the prediction's characters equal some gold's (white space left out), else 0.
  public static func exactMatch(_ prediction: String, golds: [String]) -> Double {
    golds.contains { characters($0) == characters(prediction) } ? 1 : 0
  }
}
