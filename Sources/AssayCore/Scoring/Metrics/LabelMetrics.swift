/// Corpus-level classification metrics over items' predicted and gold labels, as scikit-learn computes them:
/// `f1_score(average="macro")`, `f1_score(average="weighted")` and `matthews_corrcoef`.
public enum LabelMetrics {
  /// Per-label counts over the sorted union of predicted and gold labels (scikit-learn's `labels=None`).
  static func counts<Label: Hashable & Comparable>(predicted: [Label], gold: [Label])
    -> [(label: Label, tp: Int, fp: Int, fn: Int, support: Int)]
  {
    let labels = Set(predicted).union(gold).sorted()
    var tp: [Label: Int] = [:], fp: [Label: Int] = [:], fn: [Label: Int] = [:], support: [Label: Int] = [:]
    for (p, g) in zip(predicted, gold) {
      support[g, default: 0] += 1
      if p == g { tp[p, default: 0] += 1 } else { fp[p, default: 0] += 1; fn[g, default: 0] += 1 }
    }
    return labels.map { ($0, tp[$0] ?? 0, fp[$0] ?? 0, fn[$0] ?? 0, support[$0] ?? 0) }
  }

  /// A label's F1, 2·TP / (2·TP + FP + FN): 0 when the label is never predicted correctly (scikit-learn's
  /// `zero_division` default, whose precision or recall of 0/0 counts as 0).
  static func f1(tp: Int, fp: Int, fn: Int) -> Double {
    let denominator = 2 * tp + fp + fn
    return denominator == 0 ? 0 : Double(2 * tp) / Double(denominator)
  }

  /// The unweighted mean of every label's F1, labels never predicted or never gold included (0 for no items).
  public static func macroF1<Label: Hashable & Comparable>(predicted: [Label], gold: [Label]) -> Double {
    let perLabel = counts(predicted: predicted, gold: gold)
    guard !perLabel.isEmpty else { return 0 }
    return perLabel.map { f1(tp: $0.tp, fp: $0.fp, fn: $0.fn) }.reduce(0, +) / Double(perLabel.count)
  }

  /// The mean of every label's F1 weighted by its gold count (a label only ever predicted weighs nothing).
  public static func weightedF1<Label: Hashable & Comparable>(predicted: [Label], gold: [Label]) -> Double {
    let perLabel = counts(predicted: predicted, gold: gold)
    let total = perLabel.reduce(0) { $0 + $1.support }
    guard total > 0 else { return 0 }
    return perLabel.map { f1(tp: $0.tp, fp: $0.fp, fn: $0.fn) * Double($0.support) }.reduce(0, +) / Double(total)
  }

  /// The Matthews correlation coefficient of the multiclass confusion matrix (Gorodkin's R_K, as scikit-learn):
  /// 0 when every prediction or every gold label is the same class (the denominator is 0).
  public static func mcc<Label: Hashable & Comparable>(predicted: [Label], gold: [Label]) -> Double {
    let perLabel = counts(predicted: predicted, gold: gold)
    let n = min(predicted.count, gold.count)
    let correct = perLabel.reduce(0) { $0 + $1.tp }
    // Row sums (gold counts) and column sums (predicted counts) of the confusion matrix.
    let trueSums = perLabel.map(\.support)
    let predictedSums = perLabel.map { $0.tp + $0.fp }
    let covTP = correct * n - zip(trueSums, predictedSums).reduce(0) { $0 + $1.0 * $1.1 }
    let covPP = n * n - predictedSums.reduce(0) { $0 + $1 * $1 }
    let covTT = n * n - trueSums.reduce(0) { $0 + $1 * $1 }
    guard covPP != 0, covTT != 0 else { return 0 }
    return Double(covTP) / (Double(covTT) * Double(covPP)).squareRoot()
  }
}
