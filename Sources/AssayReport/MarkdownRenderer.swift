import AssayCore
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
      if let macro = suite.total.macroMean {
        lines.append("")
        lines.append("\(suite.total.label): macro average over \(suite.variants.count) variants (\(suite.total.primary)): \(pct(macro))")
        lines.append("")
      }
    }
    lines.append("")
    lines.append("## By language")
    lines.append("")
    lines.append(header())
    for language in report.languages { lines.append(row(language, bold: false)) }
    lines.append("")
    lines.append("Score: primary metric, mean over scored samples; ±: 95% CI half-width (1.96 × standard error). Other pipelines in the last column.")
    if !report.warnings.isEmpty {
      lines.append("")
      lines.append("## Warnings")
      lines.append("")
      for warning in report.warnings { lines.append("- ⚠️ \(warning)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func header() -> String {
    "| suite | lang | n | score | ± CI | truncated | extract failed | failed req | other metrics |\n"
      + "|---|---|---:|---:|---:|---:|---:|---:|---|"
  }

  static func row(_ row: ReportRow, bold: Bool) -> String {
    let summary = row.metrics[row.primary] ?? ScoreSummary(scores: [])
    let label = bold ? "**\(row.label)**" : row.label
    let others = row.metrics.keys.filter { $0 != row.primary }.sorted().map { name in
      "\(name) \(pct(row.metrics[name]!.mean))"
    }.joined(separator: ", ")
    let failedExtraction = row.extractionFailedShare[row.primary] ?? 0
    return
      "| \(label) | \(row.language ?? "—") | \(row.n) | \(pct(summary.mean)) (\(row.primary)) | \(pct(summary.ciHalfWidth)) | \(pct(row.truncatedShare)) | \(pct(failedExtraction)) | \(row.failedRequests) | \(others) |"
  }

  static func pct(_ value: Double) -> String { String(format: "%.1f", value * 100) }
}
