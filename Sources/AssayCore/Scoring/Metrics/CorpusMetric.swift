/// Suite metrics whose corpus score comes from the items together rather than from a mean of item scores:
/// sacrebleu's chrF and chrF++ (statistics summed over the items), scikit-learn's macro-F1, weighted-F1 and MCC of
/// the predicted against the gold labels, and scipy's Pearson and Spearman correlations of predicted against gold
/// scores. Each item stores a score (0-1) under the metric's name, for per-item views and paired tests: chrF's
/// sentence score, or 1 when the label or score equals the gold one; and its statistics under `name#0`, `name#1`,
/// ... (chrF), or its predicted and gold label codes or scores under `name#pred` and `name#gold`.
public enum CorpusMetric {
  /// The corpus metrics a generate suite may name in `scorer.metrics`.
  public static let names: Set<String> = Set(["chrf", "chrf++"]).union(labelNames).union(correlationNames)
  /// Classification metrics over labels: an answer is a label, compared as a string after the suite's `normalize`.
  public static let labelNames: Set<String> = ["macro_f1", "weighted_f1", "mcc"]
  /// Correlations over numbers: an answer is a number (any locale format `NumberCanonicalizer` reads).
  public static let correlationNames: Set<String> = ["pearson", "spearman"]

  /// The range of a corpus metric's score: correlations and MCC run from -1 to 1, the others from 0 to 1.
  public static func range(_ name: String) -> ClosedRange<Double> {
    ["mcc", "pearson", "spearman"].contains(name) ? -1...1 : 0...1
  }

  static func metric(_ name: String) -> ChrF { ChrF(wordOrder: name == "chrf++" ? 2 : 0) }

  /// One item's stored values: its sentence score and its statistics.
  public static func itemValues(_ name: String, hypothesis: String, reference: String) -> [String: Double] {
    let chrF = metric(name)
    let stats = chrF.statistics(hypothesis, reference)
    var values: [String: Double] = [name: chrF.score(stats) / 100]
    for (index, value) in stats.enumerated() { values["\(name)#\(index)"] = Double(value) }
    return values
  }

  /// One item's stored values for a label metric: 1 when the labels are equal, and both labels' codes.
  public static func labelValues(_ name: String, predicted: String, gold: String) -> [String: Double] {
    [name: predicted == gold ? 1 : 0, name + "#pred": labelCode(predicted), name + "#gold": labelCode(gold)]
  }

  /// One item's stored values for a correlation: 1 when the scores are equal, and both scores; only the item's
  /// 0 when either is not a number (the item is then left out of the correlation).
  public static func correlationValues(_ name: String, predicted: String, gold: String) -> [String: Double] {
    guard let x = number(predicted), let y = number(gold) else { return [name: 0] }
    return [name: x == y ? 1 : 0, name + "#pred": x, name + "#gold": y]
  }

  /// A number written in the answer or target, in any format `NumberCanonicalizer` reads, else nil.
  public static func number(_ text: String) -> Double? {
    let trimmed = text.trimmingWhitespace()
    return Double(trimmed) ?? NumberCanonicalizer.canonical(trimmed).flatMap { Double($0) }
  }

  /// A label's code in the store: the low 52 bits of its FNV-1a 64-bit hash (exact as a Double; equal labels, equal
  /// codes, and a collision between two labels of one suite has odds of about 2^-52).
  public static func labelCode(_ label: String) -> Double {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in label.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return Double(hash & ((1 << 52) - 1))
  }

  /// The corpus score of items' stored values (0-1; -1 to 1 for MCC and the correlations; a correlation of a
  /// constant side, which scipy leaves undefined, scores 0).
  public static func corpusScore(_ name: String, items: [[String: Double]]) -> Double {
    score(name, items: items, picking: Array(items.indices))
  }

  static func score(_ name: String, items: [[String: Double]], picking indices: [Int]) -> Double {
    if labelNames.contains(name) || correlationNames.contains(name) {
      var predicted: [Double] = [], gold: [Double] = []
      for index in indices {
        guard let p = items[index][name + "#pred"], let g = items[index][name + "#gold"] else { continue }
        predicted.append(p)
        gold.append(g)
      }
      switch name {
      case "macro_f1": return LabelMetrics.macroF1(predicted: predicted, gold: gold)
      case "weighted_f1": return LabelMetrics.weightedF1(predicted: predicted, gold: gold)
      case "mcc": return LabelMetrics.mcc(predicted: predicted, gold: gold)
      case "pearson": return Correlation.pearson(predicted, gold) ?? 0
      default: return Correlation.spearman(predicted, gold) ?? 0
      }
    }
    return metric(name).score(totals(name, items: items, picking: indices)) / 100
  }

  static func totals(_ name: String, items: [[String: Double]], picking indices: [Int]) -> [Int] {
    let chrF = metric(name)
    var totals = [Int](repeating: 0, count: 3 * (chrF.charOrder + chrF.wordOrder))
    for index in indices {
      for slot in totals.indices { totals[slot] += Int(items[index]["\(name)#\(slot)"] ?? 0) }
    }
    return totals
  }

  /// The corpus score with a bootstrap standard error (items resampled with replacement, 200 times, seed 0: the
  /// same numbers on every run, as sacrebleu's paired bootstrap is seeded too).
  public static func summary(_ name: String, items: [[String: Double]], resamples: Int = 200) -> ScoreSummary {
    guard !items.isEmpty else { return ScoreSummary(scores: []) }
    let score = corpusScore(name, items: items)
    var generator = SeededGenerator(seed: 0)
    var scores: [Double] = []
    for _ in 0..<resamples {
      let picked = (0..<items.count).map { _ in generator.index(below: items.count) }
      scores.append(Self.score(name, items: items, picking: picked))
    }
    let mean = scores.reduce(0, +) / Double(scores.count)
    let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, scores.count - 1))
    return ScoreSummary(n: items.count, mean: score, stderr: variance.squareRoot(), range: range(name))
  }
}
