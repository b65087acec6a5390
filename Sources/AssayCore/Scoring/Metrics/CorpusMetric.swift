/// Suite metrics whose corpus score comes from statistics summed over the items, as sacrebleu computes chrF and
/// chrF++ for a test set, rather than from a mean of item scores. Each item stores its sentence score (0-1) under the
/// metric's name, for per-item views and paired tests, and its statistics under `name#0`, `name#1`, ...
public enum CorpusMetric {
  /// The corpus metrics a generate suite may name in `scorer.metrics`.
  public static let names: Set<String> = ["chrf", "chrf++"]

  static func metric(_ name: String) -> ChrF { ChrF(wordOrder: name == "chrf++" ? 2 : 0) }

  /// One item's stored values: its sentence score and its statistics.
  public static func itemValues(_ name: String, hypothesis: String, reference: String) -> [String: Double] {
    let chrF = metric(name)
    let stats = chrF.statistics(hypothesis, reference)
    var values: [String: Double] = [name: chrF.score(stats) / 100]
    for (index, value) in stats.enumerated() { values["\(name)#\(index)"] = Double(value) }
    return values
  }

  /// The corpus score (0-1) of items' stored values.
  public static func corpusScore(_ name: String, items: [[String: Double]]) -> Double {
    metric(name).score(totals(name, items: items, picking: Array(items.indices))) / 100
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
    let chrF = metric(name)
    let score = corpusScore(name, items: items)
    var generator = SeededGenerator(seed: 0)
    var scores: [Double] = []
    for _ in 0..<resamples {
      let picked = (0..<items.count).map { _ in generator.index(below: items.count) }
      scores.append(chrF.score(totals(name, items: items, picking: picked)) / 100)
    }
    let mean = scores.reduce(0, +) / Double(scores.count)
    let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, scores.count - 1))
    return ScoreSummary(n: items.count, mean: score, stderr: variance.squareRoot(), range: 0...1)
  }
}
