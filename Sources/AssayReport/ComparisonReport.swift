import AssayCore
import Foundation

/// `assay compare`'s output: items paired by suite and sample, the Markdown table, and the flipped items as JSON
/// lines. Plain values in, text out.
public enum ComparisonReport {
  /// The items scored in both runs, by suite and sample id (each run's scores by key), in `PairKey` order; items
  /// of the suites in `lowerIsBetter` (safety rates) regress when their score rises.
  public static func pairs(
    baseline: [PairKey: Double], candidate: [PairKey: Double], lowerIsBetter: Set<String> = []
  ) -> [PairedItem] {
    baseline.compactMap { key, value in
      candidate[key].map {
        PairedItem(suite: key.suite, sample: key.sample, baseline: value, candidate: $0, lowerIsBetter: lowerIsBetter.contains(key.suite))
      }
    }.sorted { $0.key < $1.key }
  }

  /// Stored runs' items paired by suite and row index.
  public static func pairs(
    baseline: [SampleKey: Double], candidate: [SampleKey: Double], lowerIsBetter: Set<String> = []
  ) -> [PairedItem] {
    pairs(baseline: keyed(baseline), candidate: keyed(candidate), lowerIsBetter: lowerIsBetter)
  }

  /// Stored scores keyed for pairing.
  public static func keyed(_ scores: [SampleKey: Double]) -> [PairKey: Double] {
    Dictionary(scores.map { (PairKey($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
  }

  /// One `{"suite", "sample", "baseline", "candidate", "direction"}` line per item whose score changed.
  public static func flips(_ items: [PairedItem]) -> [String] {
    items.filter { $0.baseline != $0.candidate }.map { item in
      let object: [String: Any] = [
        // A row index is written as a number (as stored runs and `assay export` write it), any other id as text.
        "suite": item.suite, "sample": item.key.index.map { $0 as Any } ?? item.sample, "baseline": item.baseline, "candidate": item.candidate,
        "direction": (item.candidate < item.baseline) != item.lowerIsBetter ? "regressed" : "improved",
      ]
      return String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
  }

  /// The comparison as a Markdown table with its notes: `unpaired` items were scored in only one run, and
  /// `regressionThreshold` is the gate's (`--fail-if-regression`), when one was given.
  public static func markdown(
    _ comparison: Comparison, baseline: String, candidate: String, alpha: Double, regressionThreshold: Double?,
    unpaired: (baseline: Int, candidate: Int)
  ) -> String {
    let f = { (x: Double) in String(format: "%.1f", x) }
    let signed = { (x: Double) in String(format: "%+.1f", x) }
    let p = { (x: Double) in x < 0.0001 ? String(format: "%.1e", x) : String(format: "%.4f", x) }
    var lines = [
      "# Compare: \(baseline) → \(candidate)", "",
      "| suite | n | baseline | candidate | Δ (pts) | 95% CI | p | test | MDE | flips −/+ | |",
      "|---|---:|---:|---:|---:|---|---:|---|---:|---|---|",
    ]
    for row in comparison.suites {
      var mark = row.significant ? (row.delta < 0 ? "▼ significant" : "▲ significant") : ""
      if row.lowerIsBetter && row.significant { mark += row.delta > 0 ? " (worse: lower is better)" : " (better: lower is better)" }
      lines.append(
        "| \(row.suite)\(row.lowerIsBetter && row.suite != Comparison.overallLower ? " ↓" : "") | \(row.n) | \(f(row.baseline)) | \(f(row.candidate)) | \(signed(row.delta)) | [\(signed(row.ciLow)), \(signed(row.ciHigh))] | \(p(row.pValue)) | \(row.test) | \(f(row.mde)) | \(row.regressed)/\(row.improved) | \(mark) |")
    }
    lines.append("")
    lines.append("Scores in percent; p Holm-adjusted across suites at alpha \(alpha); MDE at 80% power.")
    if comparison.suites.contains(where: \.lowerIsBetter) {
      lines.append("↓: lower is better (violation and false-refusal rates): a significant rise is the regression, and flips −/+ count items that turned unsafe or refused / the reverse.")
    }
    if unpaired.baseline > 0 || unpaired.candidate > 0 {
      lines.append("Not paired (scored in only one run): \(unpaired.baseline) baseline items, \(unpaired.candidate) candidate items.")
    }
    if let regressionThreshold {
      lines.append(comparison.regression ? "**Regression found.**" : "No significant regression beyond \(regressionThreshold) points.")
    }
    return lines.joined(separator: "\n")
  }
}
