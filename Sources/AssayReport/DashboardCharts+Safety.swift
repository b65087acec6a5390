import AssayCore

extension DashboardCharts {
  /// One heatmap per safety suite with hazard labels in each run: hazards (rows) by language (columns), each cell
  /// the violation rate, green at 0% and red at 100%, with its Wilson interval and n in the cell's title.
  static func safetyHeatmaps(_ runs: [DashboardInput.Run]) -> String {
    var charts: [String] = []
    for run in runs {
      guard let safety = run.report.safety else { continue }
      for suite in safety.cells.map(\.suite).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
        charts.append(safetyHeatmap(safety.cells.filter { $0.suite == suite }, suite: suite, run: run))
      }
    }
    guard !charts.isEmpty else { return "<p class=\"empty\">No safety suite with hazard labels in these runs.</p>" }
    return charts.joined(separator: "\n")
  }

  static func safetyHeatmap(_ cells: [SafetyReport.Cell], suite: String, run: DashboardInput.Run) -> String {
    let languages = Array(Set(cells.map(\.language))).sorted()
    let hazards = Array(Set(cells.map(\.hazard))).sorted()
    let cell = 52, rowHeight = 22, top = 44
    let labelWidth = min(320, (hazards.map(textWidth).max() ?? 40) + 12)
    let left = labelWidth + 8
    var parts: [String] = []
    let title = "\(run.model) · \(suite): violation rate (%) by hazard and language"
    parts.append("<text x=\"8\" y=\"14\" font-weight=\"600\">\(SVG.escape(title))</text>")
    for (column, language) in languages.enumerated() {
      parts.append("<text x=\"\(left + column * cell + cell / 2)\" y=\"\(top - 4)\" text-anchor=\"middle\">\(SVG.escape(language))</text>")
    }
    for (row, hazard) in hazards.enumerated() {
      let y = top + row * rowHeight
      parts.append("<text x=\"\(left - 6)\" y=\"\(y + 15)\" text-anchor=\"end\"><title>\(SVG.escape(hazard))</title>\(SVG.escape(fit(hazard, width: labelWidth)))</text>")
      for (column, language) in languages.enumerated() {
        let x = left + column * cell
        guard let found = cells.first(where: { $0.hazard == hazard && $0.language == language }), found.rate.n > 0 else {
          parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"#f1f2f4\"><title>no judged answer</title></rect>")
          continue
        }
        let rate = found.rate
        let percent = rate.rate * 100
        let tip = "\(hazard), \(language): \(SVG.n(percent))% unsafe [\(SVG.n(rate.interval.low * 100)), \(SVG.n(rate.interval.high * 100))], \(rate.count) of \(rate.n)"
          + (rate.unparseable > 0 ? ", \(rate.unparseable) unparseable" : "")
        parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"\(SVG.heat(100 - percent))\"><title>\(SVG.escape(tip))</title></rect>")
        parts.append("<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + 15)\" text-anchor=\"middle\">\(SVG.n(percent))</text>")
      }
    }
    let legendY = top + 6 + hazards.count * rowHeight
    for (index, tick) in [0, 25, 50, 75, 100].enumerated() {
      let x = left + index * 44
      parts.append("<rect x=\"\(x)\" y=\"\(legendY)\" width=\"40\" height=\"12\" fill=\"\(SVG.heat(Double(100 - tick)))\"/>")
      parts.append("<text x=\"\(x + 20)\" y=\"\(legendY + 26)\" text-anchor=\"middle\">\(tick)%</text>")
    }
    parts.append("<text x=\"\(left + 5 * 44 + 6)\" y=\"\(legendY + 11)\">violation rate (lower is better)</text>")
    let width = max(left + languages.count * cell + 10, left + 5 * 44 + 220, textWidth(title) + 24)
    return svg(width: width, height: legendY + 34, label: "Violation rate by hazard and language, \(suite)", parts)
  }

  /// Each run's violation rate (harmful prompts, y) against its false-refusal rate (benign prompts, x), with
  /// Wilson 95% intervals as whiskers: down and to the left is better. A run without one of the two is listed below.
  static func safetyTradeoff(_ runs: [DashboardInput.Run]) -> String {
    let points = runs.enumerated().compactMap { index, run -> (Int, DashboardInput.Run, SafetyReport.Rate, SafetyReport.Rate)? in
      guard let safety = run.report.safety, let violation = safety.overall(SafetyMetric.violation),
        let refusal = safety.overall(SafetyMetric.falseRefusal), violation.n > 0, refusal.n > 0
      else { return nil }
      return (index, run, violation, refusal)
    }
    let missing = runs.filter { run in !points.contains { $0.1.id == run.id } && run.report.safety != nil }
    guard !points.isEmpty else {
      return "<p class=\"empty\">The trade-off needs a run with both harmful prompts judged by a guard (violation rate) and benign ones (false-refusal rate, xstest).</p>"
    }
    let size = 300, left = 56, top = 24
    var parts: [String] = []
    parts.append("<rect x=\"\(left)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#c9ced6\"/>")
    for tick in stride(from: 0, through: 100, by: 25) {
      let x = left + tick * size / 100, y = top + size - tick * size / 100
      parts.append("<text x=\"\(x)\" y=\"\(top + size + 14)\" text-anchor=\"middle\">\(tick)</text>")
      parts.append("<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(tick)</text>")
    }
    parts.append("<text x=\"\(left + size / 2)\" y=\"\(top + size + 32)\" text-anchor=\"middle\">false-refusal rate (%) →</text>")
    parts.append("<text x=\"14\" y=\"\(top + size / 2)\" transform=\"rotate(-90 14 \(top + size / 2))\" text-anchor=\"middle\">violation rate (%) →</text>")
    let px = { (rate: Double) in Double(left) + rate * Double(size) }
    let py = { (rate: Double) in Double(top + size) - rate * Double(size) }
    var legend: [String] = []
    for (position, point) in points.enumerated() {
      let (index, run, violation, refusal) = point
      let color = SVG.palette[index % SVG.palette.count]
      let x = px(refusal.rate), y = py(violation.rate)
      parts.append("<line x1=\"\(SVG.n(px(refusal.interval.low)))\" y1=\"\(SVG.n(y))\" x2=\"\(SVG.n(px(refusal.interval.high)))\" y2=\"\(SVG.n(y))\" stroke=\"\(color)\"/>")
      parts.append("<line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(py(violation.interval.low)))\" x2=\"\(SVG.n(x))\" y2=\"\(SVG.n(py(violation.interval.high)))\" stroke=\"\(color)\"/>")
      let tip = "\(run.model) (\(run.id)): violation \(SVG.n(violation.rate * 100))% of \(violation.n), false refusal \(SVG.n(refusal.rate * 100))% of \(refusal.n)"
      parts.append("<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"5\" fill=\"\(color)\"><title>\(SVG.escape(tip))</title></circle>")
      let ly = top + 10 + position * 18
      parts.append("<circle cx=\"\(left + size + 20)\" cy=\"\(ly - 4)\" r=\"5\" fill=\"\(color)\"/>")
      legend.append("\(run.model) · \(run.id)")
      parts.append("<text x=\"\(left + size + 30)\" y=\"\(ly)\">\(SVG.escape(legend.last!))</text>")
    }
    let legendWidth = (legend.map(textWidth).max() ?? 0) + 40
    var html = svg(
      width: left + size + legendWidth + 10, height: top + size + 44,
      label: "Violation rate against false-refusal rate per run", parts)
    if !missing.isEmpty {
      html += "\n<p class=\"note\">Not placed (a violation or false-refusal rate is missing): "
        + missing.map { SVG.escape("\($0.model) · \($0.id)") }.joined(separator: ", ") + "</p>"
    }
    return html
  }
}
