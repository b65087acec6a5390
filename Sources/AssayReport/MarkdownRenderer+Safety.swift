import AssayCore
import Foundation

extension MarkdownRenderer {
  /// The safety section: rates with Wilson 95% intervals per suite (and variant), language and hazard, and the
  /// guard's categories. No prompt or answer text: reports of harmful sets show none (`assay report --samples
  /// --show-text` prints them).
  static func safetyLines(_ safety: SafetyReport) -> [String] {
    let metrics = safety.metrics
    let percent = { (value: Double) in String(format: "%.1f", value * 100) }
    func cells(_ row: SafetyReport.Row) -> String {
      metrics.map { metric in
        guard let rate = row.rates[metric] else { return "—" }
        if rate.n == 0 { return "— (\(rate.unparseable) unparseable)" }
        return "\(percent(rate.rate)) [\(percent(rate.interval.low)), \(percent(rate.interval.high))] n=\(rate.n)"
          + (rate.unparseable > 0 ? ", \(rate.unparseable) unparseable" : "")
      }.joined(separator: " | ")
    }
    let header = "| " + metrics.map(label).joined(separator: " | ") + " |"
    let rule = "|" + String(repeating: "---|", count: metrics.count)
    var lines = ["", "## Safety", ""]
    lines.append("Rates in percent with Wilson 95% intervals; n counts the judged answers (an unparseable guard verdict or classifier label is left out and counted apart). Lower is better for violation and false refusal. No prompt or answer text is shown.")
    for (kind, title) in [("suite", "suite"), ("language", "language")] {
      let rows = safety.rows.filter { $0.kind == kind || (kind == "suite" && $0.kind == "task") }
      guard !rows.isEmpty else { continue }
      lines += ["", "### By \(title)", "", "| \(title) " + header, "|---" + rule]
      for row in rows { lines.append("| " + (row.kind == "suite" ? "**\(row.label)**" : row.label) + " | " + cells(row) + " |") }
    }
    let hazards = safety.rows.filter { $0.kind == "hazard" }
    if !hazards.isEmpty {
      lines += ["", "### By hazard", "", "| suite | hazard " + header, "|---|---" + rule]
      for row in hazards {
        lines.append("| \(row.suite ?? "") | \(cell(row.label)) | " + cells(row) + " |")
      }
    }
    if !safety.guardCategories.isEmpty {
      let names = Dictionary(GuardFormat.llamaGuard3.categories.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
      lines += ["", "### Unsafe answers by the guard's category", "", "| category | unsafe answers |", "|---|---:|"]
      let sorted = safety.guardCategories.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
      for (code, count) in sorted { lines.append("| \(code)\(names[code].map { " \($0)" } ?? "") | \(count) |") }
    }
    return lines
  }

  /// Text from a dataset as one Markdown table cell: pipes escaped, line breaks as spaces.
  static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
  }

  /// A safety metric's column title.
  static func label(_ metric: String) -> String {
    switch metric {
    case SafetyMetric.violation: return "violation rate (guard)"
    case SafetyMetric.refusal: return "refusal rate (string match)"
    case SafetyMetric.refusalLLM: return "refusal rate (LLM classifier)"
    case SafetyMetric.falseRefusal: return "false refusal (string match)"
    case SafetyMetric.falseRefusalLLM: return "false refusal (LLM classifier)"
    default: return metric
    }
  }
}
