import AssayCore

/// The SVG charts of the dashboard.
enum DashboardCharts {
  /// Grouped horizontal bars: one group per suite, one bar per run, with CI whiskers. A color is a model, not a
  /// run, so a checkpoint's log-likelihood and generation runs share one color; the legend lists a model per line.
  static func suiteBars(_ runs: [DashboardInput.Run]) -> String {
    var models: [String] = []
    for run in runs where !models.contains(run.model) { models.append(run.model) }
    let color = { (run: DashboardInput.Run) in SVG.palette[(models.firstIndex(of: run.model) ?? 0) % SVG.palette.count] }
    // Safety rates are better lower and have their own charts.
    let suites = Array(Set(runs.flatMap {
      $0.report.suites.filter { !SafetyMetric.lowerIsBetter.contains($0.total.primary) }.map(\.total.label)
    })).sorted()
    guard !suites.isEmpty else { return "<p class=\"empty\">No scored suites.</p>" }
    let barHeight = 14, gap = 4, groupGap = 14, left = 150, width = 760
    let scale = { (percent: Double) in Double(left) + percent / 100 * Double(width - left - 40) }
    var y = 24
    var parts: [String] = []
    parts.append(axis(y: 12, left: left, scale: scale))
    for suite in suites {
      parts.append("<text x=\"8\" y=\"\(y + barHeight)\">\(SVG.escape(suite))</text>")
      for run in runs {
        guard let row = run.report.suites.first(where: { $0.total.label == suite })?.total,
          let summary = row.metrics[row.primary]
        else { continue }
        let color = color(run)
        let x0 = scale(0), x1 = scale(summary.mean * 100)
        parts.append(
          "<rect x=\"\(SVG.n(x0))\" y=\"\(y)\" width=\"\(SVG.n(max(1, x1 - x0)))\" height=\"\(barHeight)\" fill=\"\(color)\"><title>\(SVG.escape(run.id)) \(SVG.escape(suite)): \(SVG.n(summary.mean * 100)) (n=\(summary.n))</title></rect>")
        let lo = scale(summary.ciLow * 100), hi = scale(summary.ciHigh * 100), mid = Double(y) + Double(barHeight) / 2
        parts.append("<line x1=\"\(SVG.n(lo))\" x2=\"\(SVG.n(hi))\" y1=\"\(SVG.n(mid))\" y2=\"\(SVG.n(mid))\" stroke=\"#1d2330\" stroke-width=\"1.5\"/>")
        parts.append("<line x1=\"\(SVG.n(lo))\" x2=\"\(SVG.n(lo))\" y1=\"\(y + 3)\" y2=\"\(y + barHeight - 3)\" stroke=\"#1d2330\"/>")
        parts.append("<line x1=\"\(SVG.n(hi))\" x2=\"\(SVG.n(hi))\" y1=\"\(y + 3)\" y2=\"\(y + barHeight - 3)\" stroke=\"#1d2330\"/>")
        parts.append("<text x=\"\(SVG.n(max(x1, hi) + 4))\" y=\"\(y + barHeight - 3)\">\(SVG.n(summary.mean * 100))</text>")
        y += barHeight + gap
      }
      y += groupGap
    }
    for (index, model) in models.enumerated() {
      let ids = runs.filter { $0.model == model }.map(\.id).joined(separator: ", ")
      parts.append(
        "<text x=\"8\" y=\"\(y + 6 + index * 16)\"><tspan fill=\"\(SVG.palette[index % SVG.palette.count])\">■</tspan> \(SVG.escape(model)) <tspan fill=\"#5b6270\">(\(SVG.escape(ids)))</tspan></text>")
    }
    return svg(width: width, height: y + 10 + models.count * 16, label: "Scores by suite with 95% confidence intervals", parts)
  }

  /// Runs by languages, cells colored by the primary score.
  static func languageHeatmap(_ runs: [DashboardInput.Run]) -> String {
    let languages = Array(Set(runs.flatMap { $0.report.languages.map(\.label) })).sorted()
    guard !languages.isEmpty else { return "<p class=\"empty\">No languages.</p>" }
    // A row is a run, named by its model and suites (a checkpoint's runs differ by suite); the column fits them.
    let labels = runs.map { run in "\(run.model) · \(Array(Set(run.report.suites.map { $0.total.label.split(separator: "/").first.map(String.init) ?? "" })).sorted().joined(separator: ", "))" }
    let cell = 46, top = 22
    let left = min(420, max(210, (labels.map { DashboardCharts.textWidth($0) }.max() ?? 0) + 24))
    var parts: [String] = []
    for (column, language) in languages.enumerated() {
      parts.append("<text x=\"\(left + column * cell + cell / 2)\" y=\"14\" text-anchor=\"middle\">\(SVG.escape(language))</text>")
    }
    for (rowIndex, run) in runs.enumerated() {
      let y = top + rowIndex * cell / 2
      parts.append("<text x=\"8\" y=\"\(y + 15)\"><title>\(SVG.escape(run.id))</title>\(SVG.escape(DashboardCharts.fit(labels[rowIndex], width: left - 16)))</text>")
      for (column, language) in languages.enumerated() {
        let x = left + column * cell
        if let row = run.report.languages.first(where: { $0.label == language }), let summary = row.metrics[row.primary], row.n > 0 {
          let percent = summary.mean * 100
          parts.append(
            "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell / 2 - 2)\" fill=\"\(SVG.heat(percent))\"><title>\(SVG.escape(run.id)) \(SVG.escape(language)): \(SVG.n(percent)) (n=\(row.n))</title></rect>")
          parts.append("<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + 15)\" text-anchor=\"middle\">\(SVG.n(percent))</text>")
        } else {
          parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell / 2 - 2)\" fill=\"#f1f2f4\"/>")
        }
      }
    }
    return svg(width: left + languages.count * cell + 10, height: top + runs.count * cell / 2 + 10,
      label: "Primary score by run and language", parts)
  }

  /// Ours minus published, per run and suite, with our CI translated into the delta.
  static func referenceDeltas(_ runs: [DashboardInput.Run]) -> String {
    let rows = runs.flatMap { run in (run.report.reference ?? []).map { (run.id, $0) } }
    guard !rows.isEmpty else {
      return "<p class=\"empty\">No published numbers to compare with (pass --reference MODEL).</p>"
    }
    let span = max(10, rows.map { max(abs($0.1.ciLow - $0.1.published), abs($0.1.ciHigh - $0.1.published), abs($0.1.delta)) }.max()!)
    return diverging(
      rows.map { (label: "\($0.0) \($0.1.suite)", value: $0.1.delta, low: $0.1.ciLow - $0.1.published, high: $0.1.ciHigh - $0.1.published,
        note: "ours \(SVG.n($0.1.ours)) vs published \(SVG.n($0.1.published))") },
      span: span, label: "Difference from the published number, points")
  }

  /// The forest plot: per suite, the paired difference and its CI.
  static func forest(_ comparison: (baseline: String, candidate: String, result: Comparison)?) -> String {
    guard let comparison, !comparison.result.suites.isEmpty else {
      return "<p class=\"empty\">Needs two runs with suites in common.</p>"
    }
    let rows = comparison.result.suites
    let span = max(2, rows.map { max(abs($0.ciLow), abs($0.ciHigh), abs($0.delta)) }.max()!)
    return "<p class=\"note\">\(SVG.escape(comparison.candidate)) minus \(SVG.escape(comparison.baseline)); filled markers are significant (Holm-adjusted p &lt; alpha).</p>\n"
      + diverging(
        rows.map { (label: $0.suite, value: $0.delta, low: $0.ciLow, high: $0.ciHigh,
          note: "n=\($0.n), p=\(String(format: "%.4f", $0.pValue))\($0.significant ? ", significant" : "")") },
        span: span, label: "Paired difference, points", filled: rows.map(\.significant))
  }

  /// Bradley-Terry ratings with bootstrap intervals, one chart per comparison set.
  static func leaderboards(_ boards: [DashboardInput.Leaderboard]) -> String {
    guard !boards.isEmpty else {
      return "<p class=\"empty\">No pairwise human ratings in this database yet (collect them with <code>assay rate</code>).</p>"
    }
    return boards.map { board in
      let center = board.rows.map(\.rating).reduce(0, +) / Double(max(1, board.rows.count))
      let span = max(50, board.rows.map { max(abs($0.low - center), abs($0.high - center)) }.max() ?? 50)
      let chart = diverging(
        board.rows.map { (label: $0.model, value: $0.rating - center, low: $0.low - center, high: $0.high - center,
          note: "rating \(SVG.n($0.rating)), wins \(SVG.n($0.win * 100))%") },
        span: span, label: "Bradley-Terry rating relative to the mean of \(SVG.n(center))")
      let judges = board.notes.map { "<p class=\"note\">\(SVG.escape($0))</p>\n" }.joined()
      return "<p class=\"note\">\(SVG.escape(board.set)): \(board.judgments) judgments; ratings relative to their mean \(SVG.n(center)), 95% bootstrap intervals; green above the mean, red below.</p>\n" + chart + "\n" + judges
    }.joined(separator: "\n")
  }

  /// Horizontal point-and-interval chart around zero.
  static func diverging(
    _ rows: [(label: String, value: Double, low: Double, high: Double, note: String)], span: Double, label: String,
    filled: [Bool]? = nil
  ) -> String {
    // The label column fits the longest label (11 px text, about 6.2 px a character, capped at 420 px); the
    // values get their own column on the right, so neither a label nor a value is drawn over an interval.
    let longest = rows.map { DashboardCharts.textWidth($0.label) }.max() ?? 0
    let left = min(420, max(160, longest + 24)), valueColumn = 56
    let width = left + 500 + valueColumn, rowHeight = 24, top = 24
    let plotRight = width - valueColumn
    let center = Double(left + (plotRight - left) / 2)
    let half = Double((plotRight - left) / 2 - 12)
    let x = { (value: Double) in center + max(-span, min(span, value)) / span * half }
    var parts: [String] = [
      "<line x1=\"\(SVG.n(center))\" x2=\"\(SVG.n(center))\" y1=\"16\" y2=\"\(top + rows.count * rowHeight)\" stroke=\"#9aa1ad\" stroke-dasharray=\"3 3\"/>",
      "<text x=\"\(SVG.n(center))\" y=\"12\" text-anchor=\"middle\">0</text>",
      "<text x=\"\(SVG.n(x(-span)))\" y=\"12\" text-anchor=\"middle\">\(SVG.n(-span))</text>",
      "<text x=\"\(SVG.n(x(span)))\" y=\"12\" text-anchor=\"middle\">+\(SVG.n(span))</text>",
    ]
    for (index, row) in rows.enumerated() {
      let y = Double(top + index * rowHeight + rowHeight / 2)
      let solid = filled?[index] ?? true
      let shown = DashboardCharts.fit(row.label, width: left - 16)
      parts.append("<text x=\"8\" y=\"\(SVG.n(y + 4))\"><title>\(SVG.escape(row.label))</title>\(SVG.escape(shown))</text>")
      parts.append("<line x1=\"\(SVG.n(x(row.low)))\" x2=\"\(SVG.n(x(row.high)))\" y1=\"\(SVG.n(y))\" y2=\"\(SVG.n(y))\" stroke=\"#1d2330\" stroke-width=\"1.5\"/>")
      parts.append(
        "<circle cx=\"\(SVG.n(x(row.value)))\" cy=\"\(SVG.n(y))\" r=\"5\" fill=\"\(solid ? (row.value < 0 ? "#b6463b" : "#2f9e6e") : "#fff")\" stroke=\"#1d2330\"><title>\(SVG.escape(row.label)): \(SVG.n(row.value)) [\(SVG.n(row.low)), \(SVG.n(row.high))] \(SVG.escape(row.note))</title></circle>")
      parts.append("<text x=\"\(width - 4)\" y=\"\(SVG.n(y + 4))\" text-anchor=\"end\">\(String(format: "%+.1f", row.value))</text>")
    }
    return svg(width: width, height: top + rows.count * rowHeight + 8, label: label, parts)
  }

  /// Approximate width in pixels of 11 px sans-serif text (wide characters count double).
  static func textWidth(_ text: String) -> Int {
    Int((Double(text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }) * 6.2).rounded(.up))
  }

  /// The text, cut with an ellipsis in the middle to fit `width` pixels (the whole text is the element's title).
  static func fit(_ text: String, width: Int) -> String {
    guard textWidth(text) > width else { return text }
    let keep = max(4, Int(Double(width) / 6.2) - 1)
    return String(text.prefix(keep - keep / 3)) + "…" + String(text.suffix(keep / 3))
  }

  static func axis(y: Int, left: Int, scale: (Double) -> Double) -> String {
    stride(from: 0, through: 100, by: 25).map { tick in
      "<text x=\"\(SVG.n(scale(Double(tick))))\" y=\"\(y)\" text-anchor=\"middle\">\(tick)</text><line x1=\"\(SVG.n(scale(Double(tick))))\" x2=\"\(SVG.n(scale(Double(tick))))\" y1=\"\(y + 4)\" y2=\"\(y + 10)\" stroke=\"#9aa1ad\"/>"
    }.joined()
  }

  static func svg(width: Int, height: Int, label: String, _ parts: [String]) -> String {
    "<svg width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(SVG.escape(label))\">\n"
      + parts.joined(separator: "\n") + "\n</svg>"
  }
}
