import AssayCore

/// Everything a dashboard shows, as plain values (no database), so its output is deterministic and testable.
public struct DashboardInput: Sendable {
  /// One run and its report.
  public struct Run: Sendable {
    /// Run id.
    public var id: String
    /// Model name.
    public var model: String
    /// Status.
    public var status: String
    /// Start time.
    public var startedAt: String
    /// The run's report (with reference rows when asked for).
    public var report: RunReport

    /// A run.
    public init(id: String, model: String, status: String, startedAt: String, report: RunReport) {
      self.id = id
      self.model = model
      self.status = status
      self.startedAt = startedAt
      self.report = report
    }
  }

  /// A comparison set's leaderboard.
  public struct Leaderboard: Sendable {
    /// Set name.
    public var set: String
    /// Judgments counted.
    public var judgments: Int
    /// Rows, best first: model, Bradley-Terry rating, 95% CI, win share.
    public var rows: [(model: String, rating: Double, low: Double, high: Double, win: Double)]
    /// Lines under the chart (each LLM judge's agreement with the people).
    public var notes: [String]

    /// A leaderboard.
    public init(
      set: String, judgments: Int, rows: [(model: String, rating: Double, low: Double, high: Double, win: Double)],
      notes: [String] = []
    ) {
      self.notes = notes
      self.set = set
      self.judgments = judgments
      self.rows = rows
    }
  }

  /// Runs, oldest first.
  public var runs: [Run]
  /// Human-rating leaderboards, one per comparison set with judgments.
  public var leaderboards: [Leaderboard] = []
  /// Baseline and candidate run ids with their comparison, for the forest plot.
  public var comparison: (baseline: String, candidate: String, result: Comparison)?
  /// The published model of the reference chart.
  public var referenceModel: String?
  /// When the page was generated (injected, so output is reproducible).
  public var generatedAt: String

  /// The dashboard's input.
  public init(
    runs: [Run], comparison: (baseline: String, candidate: String, result: Comparison)?, referenceModel: String?,
    generatedAt: String
  ) {
    self.runs = runs
    self.comparison = comparison
    self.referenceModel = referenceModel
    self.generatedAt = generatedAt
  }
}

/// Renders the static, offline dashboard: inline SVG and CSS, no scripts, no network.
public enum DashboardRenderer {
  /// The ids of the charts every dashboard contains, in page order.
  public static let chartIDs = [
    "chart-runs", "chart-suite-bars", "chart-language-heatmap", "chart-reference-deltas", "chart-forest",
    "chart-human-ratings",
  ]

  /// The dashboard's files by name (`index.html`).
  public static func render(_ input: DashboardInput) -> [String: String] {
    var body: [String] = []
    body.append("<header><h1>Assay dashboard</h1><p class=\"meta\">Generated \(SVG.escape(input.generatedAt)) · \(input.runs.count) run(s)</p></header>")
    body.append(section("chart-runs", "Runs", runsTable(input.runs)))
    body.append(section("chart-suite-bars", "Scores by suite (95% CI)", DashboardCharts.suiteBars(input.runs)))
    body.append(section("chart-language-heatmap", "Scores by language", DashboardCharts.languageHeatmap(input.runs)))
    body.append(section("chart-reference-deltas", "Against published numbers" + (input.referenceModel.map { ": " + SVG.escape($0) } ?? ""),
      DashboardCharts.referenceDeltas(input.runs)))
    if input.runs.contains(where: { $0.report.needle != nil }) {
      body.append(section("chart-needle", "Needle in a haystack: recall by depth and length", DashboardCharts.needleHeatmaps(input.runs)))
    }
    if input.runs.contains(where: { $0.report.safety != nil }) {
      body.append(section("chart-safety-heatmap", "Safety: violation rate by hazard and language", DashboardCharts.safetyHeatmaps(input.runs)))
      body.append(section("chart-safety-tradeoff", "Safety: violation rate against false-refusal rate", DashboardCharts.safetyTradeoff(input.runs)))
    }
    body.append(section("chart-forest", "Candidate vs baseline (paired difference, 95% CI)", DashboardCharts.forest(input.comparison)))
    body.append(section("chart-human-ratings", "Human ratings leaderboard", DashboardCharts.leaderboards(input.leaderboards)))
    let html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Assay dashboard</title>
      <link rel="icon" href="data:,">
      <style>
      body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1100px; color: #1d2330; background: #fff; }
      h1 { font-size: 24px; margin: 0; } h2 { font-size: 18px; margin: 28px 0 8px; }
      .meta, .empty, .note { color: #5b6270; font-size: 13px; }
      table { border-collapse: collapse; font-size: 13px; } th, td { padding: 4px 10px; border-bottom: 1px solid #e3e6eb; text-align: left; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      section { border: 1px solid #e3e6eb; border-radius: 8px; padding: 8px 16px 16px; margin-bottom: 16px; }
      svg text { font-family: system-ui, sans-serif; font-size: 11px; fill: #1d2330; }
      </style>
      </head>
      <body>
      \(body.joined(separator: "\n"))
      </body>
      </html>

      """
    return ["index.html": html]
  }

  static func section(_ id: String, _ title: String, _ content: String) -> String {
    "<section id=\"\(id)\" class=\"chart\"><h2>\(title)</h2>\n\(content)\n</section>"
  }

  static func runsTable(_ runs: [DashboardInput.Run]) -> String {
    guard !runs.isEmpty else { return "<p class=\"empty\">No runs.</p>" }
    var rows = ["<table><thead><tr><th>run</th><th>model</th><th>status</th><th>started</th><th>suites</th><th>scored</th><th>failed</th></tr></thead><tbody>"]
    for run in runs {
      let scored = run.report.suites.map(\.total.n).reduce(0, +)
      let failed = run.report.suites.map(\.total.failedRequests).reduce(0, +)
      rows.append(
        "<tr><td>\(SVG.escape(run.id))</td><td>\(SVG.escape(run.model))</td><td>\(SVG.escape(run.status))</td><td>\(SVG.escape(run.startedAt))</td><td>\(SVG.escape(run.report.suites.map(\.total.label).joined(separator: ", ")))</td><td class=\"num\">\(scored)</td><td class=\"num\">\(failed)</td></tr>")
    }
    rows.append("</tbody></table>")
    return rows.joined(separator: "\n")
  }
}
