import AssayCore
import AssayToolUse
import Foundation

/// Renders a `RunReport` as Markdown tables.
public enum MarkdownRenderer {
  /// The report as Markdown.
  public static func render(_ report: RunReport) -> String {
    var lines: [String] = []
    lines.append("# Assay report: run \(report.runID)")
    lines.append("")
    lines.append("Model: `\(report.model)` · status: \(report.status)")
    lines.append("")
    lines.append("## By suite")
    lines.append("")
    lines.append(header())
    for suite in report.suites {
      lines.append(row(suite.total, bold: true))
      if suite.variants.count > 1 {
        for variant in suite.variants { lines.append(row(variant, bold: false)) }
      }
    }
    if !report.languages.isEmpty {
      lines.append("")
      lines.append("## By language")
      lines.append("")
      lines.append(header(first: "language", withLanguage: false))
      for language in report.languages { lines.append(row(language, bold: false, withLanguage: false)) }
    }
    lines.append("")
    lines.append("score (micro): the primary metric's mean over all scored samples of the row; macro: the mean of the variants' scores (how Meta averages MGSM's languages and MMLU's subjects); ±: 95% CI half-width of the micro score (1.96 × standard error). Other pipelines in the last column.")
    for (mode, summary) in (report.bfcl ?? [:]).sorted(by: { $0.key > $1.key }) { lines += bfclLines(summary, mode: mode) }
    for heatmap in report.needle ?? [] { lines += needleLines(heatmap) }
    if let safety = report.safety { lines += safetyLines(safety) }
    if let model = report.referenceModel, let rows = report.reference {
      lines.append("")
      lines.append("## Against published numbers: \(model)")
      lines.append("")
      if rows.isEmpty {
        lines.append("No published number for \(model) matches the suites of this run.")
      } else {
        lines.append("| suite | ours | scored by | 95% CI | published | Δ (pts) | published inside CI | published as |")
        lines.append("|---|---:|---|---|---:|---:|---|---|")
        for row in rows {
          lines.append(
            "| \(row.suite) | \(String(format: "%.1f", row.ours)) | \(row.pipeline ?? "—") | [\(String(format: "%.1f", row.ciLow)), \(String(format: "%.1f", row.ciHigh))] | \(String(format: "%.1f", row.published)) | \(String(format: "%+.1f", row.delta)) | \(row.publishedInsideCI ? "yes" : "no") | \(row.benchmark) |")
        }
        lines.append("")
        for row in rows {
          if let headlineScore = row.headlineScore, let pipeline = row.pipeline, let headline = row.headline {
            let differing = row.verdictsDiffering.map { "; \($0) of \(row.scored ?? 0) verdicts differ" } ?? ""
            lines.append(
              "- \(row.suite): scored by '\(pipeline)', the publisher's rule; the headline '\(headline)' is "
                + "\(String(format: "%.1f", headlineScore)) (\(String(format: "%+.1f", headlineScore - row.ours)) pts against "
                + "'\(pipeline)', \(String(format: "%+.1f", headlineScore - row.published)) against the published number)\(differing).")
          }
          if row.differences.isEmpty {
            lines.append("- \(row.suite): same configuration as the published number (\(row.source)).")
          } else {
            lines.append("- \(row.suite) differs from the published configuration (\(row.source)):")
            for difference in row.differences { lines.append("  - \(difference)") }
          }
        }
      }
    }
    if let gaps = report.referenceGaps, !gaps.isEmpty {
      lines.append("")
      lines.append("### Published rows without a comparison")
      lines.append("")
      for gap in gaps {
        let number = gap.published.map { " \(String(format: "%.1f", $0))" } ?? ""
        lines.append("- \(gap.benchmark)\(number) (\(gap.suite)): \(gap.reason)" + (gap.fix.map { ". Fix: \($0)" } ?? ""))
      }
    }
    if !report.warnings.isEmpty {
      lines.append("")
      lines.append("## Warnings")
      lines.append("")
      for warning in report.warnings { lines.append("- ⚠️ \(warning)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// BFCL's summary figures as its leaderboard averages them.
  /// A needle task's recall by depth (rows) and length (columns), in percent, with the means of each.
  static func needleLines(_ map: NeedleHeatmap) -> [String] {
    let percent = { (value: Double?) in value.map { String(format: "%.0f", $0 * 100) } ?? "—" }
    var lines = ["", "## Needle in a haystack: \(map.taskID)", ""]
    lines.append("Recall (%) of " + (map.needles == 1 ? "the hidden needle" : "the \(map.asked) asked of \(map.needles) hidden needles") + ", by depth of the "
      + "\(map.needles == 1 ? "needle" : "first needle") (rows) and prompt length in the model's tokens (columns)"
      + (map.window.map { "; window \($0) tokens" } ?? "") + ".")
    lines.append("")
    lines.append("| depth | " + map.lengths.map(NeedleHeatmap.lengthLabel).joined(separator: " | ") + " | mean |")
    lines.append("|---:|" + String(repeating: "---:|", count: map.lengths.count + 1))
    for (row, depth) in map.depths.enumerated() {
      lines.append("| \(NeedlePlacement.percent(depth))% | " + map.cells[row].map(percent).joined(separator: " | ") + " | \(percent(map.byDepth[row])) |")
    }
    lines.append("| **mean** | " + map.byLength.map(percent).joined(separator: " | ") + " | |")
    return lines
  }

  static func bfclLines(_ summary: BFCLSummary, mode: String) -> [String] {
    var lines = ["", "## BFCL summary (\(mode))", "", "| figure | accuracy | n | averaged as |", "|---|---:|---:|---|"]
    for group in summary.groups {
      let value = group.accuracy.map(pct) ?? "—"
      let rule = group.missing.isEmpty ? group.rule : group.rule + "; not run: " + group.missing.joined(separator: ", ")
      lines.append("| \(group.name) | \(value) | \(group.count) | \(rule) |")
    }
    lines.append("")
    lines.append("Figures as bfcl-eval's leaderboard computes them from the categories above; a figure with a category that was not run is left blank (bfcl shows N/A).")
    return lines
  }

  /// The table head: "suite | lang | ..." for suites; "language | ..." (no second language column) by language.
  static func header(first: String = "suite", withLanguage: Bool = true) -> String {
    "| \(first) |\(withLanguage ? " lang |" : "") n | score (micro) | ± CI | macro | truncated | extract failed | failed req | other metrics |\n"
      + "|---|\(withLanguage ? "---|" : "")---:|---:|---:|---:|---:|---:|---:|---|"
  }

  static func row(_ row: ReportRow, bold: Bool, withLanguage: Bool = true) -> String {
    let summary = row.metrics[row.primary] ?? ScoreSummary(scores: [])
    let label = bold ? "**\(row.label)**" : row.label
    var others = row.metrics.keys.filter { $0 != row.primary }.sorted().map { name in
      "\(name) \(value(row.metrics[name]!, name))"
    }
    if let unparseable = row.unparseable { others.append("unparseable judgments \(unparseable)/\(row.judgments ?? unparseable)") }
    let failedExtraction = row.extractionFailedShare[row.primary] ?? 0
    let scale = { (number: Double) in Scorer.ratingMetrics.contains(row.primary) ? String(format: "%.2f", number) : pct(number) }
    return
      "| \(label) |\(withLanguage ? " \(row.language ?? "—") |" : "") \(row.n) | \(value(summary, row.primary)) (\(row.primary)) | \(summary.n == 0 ? "—" : scale(summary.ciHalfWidth)) | \(row.macroMean.map(scale) ?? "—") | \(pct(row.truncatedShare)) | \(pct(failedExtraction)) | \(row.failedRequests) | \(others.joined(separator: ", ")) |"
  }

  static func pct(_ value: Double) -> String { String(format: "%.1f", value * 100) }

  /// A metric's mean: a judge's rating on its own 1-10 scale, anything else as a percentage; "—" with no data.
  static func value(_ summary: ScoreSummary, _ metric: String) -> String {
    guard summary.n > 0 else { return "—" }
    return Scorer.ratingMetrics.contains(metric) ? String(format: "%.2f", summary.mean) : pct(summary.mean)
  }
}
