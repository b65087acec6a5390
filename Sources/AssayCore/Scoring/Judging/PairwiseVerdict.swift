import AssayText

/// One pairwise game's outcome from the judged model's side: its score (1 win, 0.5 tie, 0 loss) and the game's
/// weight, or that the judge's reply had no verdict.
public enum PairwiseVerdict: Sendable, Equatable {
  case verdict(score: Double, weight: Double, label: String)
  case unparseable
  /// The reply had no verdict at all: worth asking again (Arena-Hard's `try_again`).
  case missing

  /// Reads a reply given the judged model's position (`modelFirst`: shown as A / output_1).
  public static func parse(_ reply: String, kind: String, modelFirst: Bool) -> PairwiseVerdict {
    kind == "alpaca-eval" ? alpacaEval(reply, modelFirst: modelFirst) : arenaHard(reply, modelFirst: modelFirst)
  }

  /// Arena-Hard: every `[[label]]` with a label of A, B, <, >, =; none is missing, several different ones are
  /// unparseable, one is the verdict. A>>B and B>>A weigh 3 (show_result.py's default weight), the rest 1.
  static func arenaHard(_ reply: String, modelFirst: Bool) -> PairwiseVerdict {
    let scalars = Array(reply.unicodeScalars)
    var labels: [String] = []
    var index = 0
    let allowed: Set<Unicode.Scalar> = ["A", "B", "<", ">", "="]
    while index + 1 < scalars.count {
      guard scalars[index] == "[", scalars[index + 1] == "[" else {
        index += 1
        continue
      }
      var end = index + 2
      while end < scalars.count, allowed.contains(scalars[end]) { end += 1 }
      if end > index + 2, end + 1 < scalars.count, scalars[end] == "]", scalars[end + 1] == "]" {
        labels.append(String(String.UnicodeScalarView(scalars[(index + 2)..<end])))
        index = end + 2
      } else {
        index += 1
      }
    }
    let distinct = Set(labels)
    guard let label = labels.first else { return .missing }
    guard distinct.count == 1 else { return .unparseable }
    // Scores for the model shown as B; mirrored when it was A.
    let forB: [String: (Double, Double)] = ["A>>B": (0, 3), "A>B": (0, 1), "A=B": (0.5, 1), "B>A": (1, 1), "B>>A": (1, 3)]
    guard let (score, weight) = forB[label] else { return .unparseable }
    return .verdict(score: modelFirst ? 1 - score : score, weight: weight, label: label)
  }

  /// AlpacaEval's classifier prompt: the reply is the identifier of the better output, `m` (first) or `M` (second).
  static func alpacaEval(_ reply: String, modelFirst: Bool) -> PairwiseVerdict {
    let trimmed = PythonText.strip(reply)
    guard trimmed == "m" || trimmed == "M" else { return trimmed.isEmpty ? .missing : .unparseable }
    let firstWins = trimmed == "m"
    return .verdict(score: firstWins == modelFirst ? 1 : 0, weight: 1, label: trimmed)
  }
}
