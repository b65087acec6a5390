import AssayCore

extension DashboardCharts {
  /// One heatmap per needle task of each run: depth (rows, 0% at the top) by prompt length (columns), each cell
  /// the mean recall, coloured on the dashboard's 0-100 scale, with a legend.
  static func needleHeatmaps(_ runs: [DashboardInput.Run]) -> String {
    var charts: [String] = []
    for run in runs {
      for map in run.report.needle ?? [] {
        charts.append(needleHeatmap(map, run: run))
      }
    }
    guard !charts.isEmpty else { return "<p class=\"empty\">No needle-in-a-haystack runs.</p>" }
    return charts.joined(separator: "\n")
  }

  static func needleHeatmap(_ map: NeedleHeatmap, run: DashboardInput.Run) -> String {
    let cell = 52, rowHeight = 24, left = 64, top = 44
    var parts: [String] = []
    let title = "\(run.model) · \(map.taskID)" + (map.needles > 1 ? " (\(map.asked) of \(map.needles) needles asked)" : "")
    parts.append("<text x=\"8\" y=\"14\" font-weight=\"600\">\(SVG.escape(title))</text>")
    let axisLabel = "prompt length in the model's tokens →" + (map.window.map { " (window \($0))" } ?? "")
    parts.append("<text x=\"\(left)\" y=\"30\" fill=\"#5b6270\">\(SVG.escape(axisLabel))</text>")
    for (column, length) in map.lengths.enumerated() {
      parts.append("<text x=\"\(left + column * cell + cell / 2)\" y=\"\(top - 2)\" text-anchor=\"middle\">\(NeedleHeatmap.lengthLabel(length))</text>")
    }
    for (row, depth) in map.depths.enumerated() {
      let y = top + 4 + row * rowHeight
      parts.append("<text x=\"\(left - 6)\" y=\"\(y + 16)\" text-anchor=\"end\">\(NeedlePlacement.percent(depth))%</text>")
      for column in map.lengths.indices {
        let x = left + column * cell
        if let value = map.cells[row][column] {
          let percent = value * 100
          parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"\(SVG.heat(percent))\"><title>depth \(NeedlePlacement.percent(depth))%, \(map.lengths[column]) tokens: recall \(SVG.n(percent)) (n=\(map.counts[row][column]))</title></rect>")
          parts.append("<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + 16)\" text-anchor=\"middle\">\(SVG.n(percent))</text>")
        } else {
          parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"#f1f2f4\"><title>not run</title></rect>")
        }
      }
    }
    parts.append("<text x=\"8\" y=\"\(top + 20)\" fill=\"#5b6270\" transform=\"rotate(-90 8 \(top + 20))\" text-anchor=\"end\">depth ↓</text>")
    // Legend: the colour scale.
    let legendY = top + 8 + map.depths.count * rowHeight
    for (index, tick) in [0, 25, 50, 75, 100].enumerated() {
      let x = left + index * 44
      parts.append("<rect x=\"\(x)\" y=\"\(legendY)\" width=\"40\" height=\"12\" fill=\"\(SVG.heat(Double(tick)))\"/>")
      parts.append("<text x=\"\(x + 20)\" y=\"\(legendY + 26)\" text-anchor=\"middle\">\(tick)%</text>")
    }
    parts.append("<text x=\"\(left + 5 * 44 + 6)\" y=\"\(legendY + 11)\">recall</text>")
    let width = max(
      left + map.lengths.count * cell + 10, left + 5 * 44 + 70, left + textWidth(axisLabel) + 16, textWidth(title) + 24)
    return svg(width: width, height: legendY + 34, label: "Needle in a haystack: recall by depth and length, \(map.taskID)", parts)
  }
}
