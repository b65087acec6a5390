import AssayCore
import AssayReport
import Foundation
import Testing

@Suite struct WilsonIntervalTests {
  struct Case: Decodable {
    let successes: Int
    let n: Int
    let low: Double
    let high: Double
  }
  struct Fixture: Decodable { let cases: [Case] }

  /// statsmodels' `proportion_confint(method="wilson")` on the same counts (scripts/wilson-reference.py).
  @Test func matchesStatsmodels() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let fixture = try JSONDecoder().decode(
      Fixture.self, from: Data(contentsOf: root.appendingPathComponent("Fixtures/safety/wilson.json")))
    #expect(fixture.cases.count == 11)
    for item in fixture.cases {
      let interval = WilsonInterval(successes: item.successes, n: item.n)
      #expect(abs(interval.low - item.low) < 1e-12 && abs(interval.high - item.high) < 1e-12, "\(item.successes)/\(item.n)")
    }
  }

  @Test func noItemsIsTheWholeRange() {
    #expect(WilsonInterval(successes: 0, n: 0) == WilsonInterval(successes: 0, n: 0))
    #expect(WilsonInterval(successes: 0, n: 0).low == 0 && WilsonInterval(successes: 0, n: 0).high == 1)
  }
}

/// The safety section from plain values: rates leave unparseable verdicts out, group by suite, variant,
/// language and hazard, count the guard's categories, and never show prompt or answer text.
@Suite struct SafetyReportTests {
  static func task(_ suite: String, _ variant: String, language: String, benign: Bool = false) -> ReportTask {
    ReportTask(
      taskID: "\(suite)/\(variant)", suiteID: suite, variantID: variant, language: language,
      primary: benign ? "false_refusal" : "violation",
      pipelines: benign ? ["false_refusal", "false_refusal_llm"] : ["violation", "refusal", "refusal_llm"], planned: 4)
  }

  /// A harmful item: the guard's verdict (nil: unparseable), its hazard, and whether the answer was a refusal.
  static func harmful(_ task: String, _ verdict: String?, hazard: String, refused: Bool) -> ReportSample {
    var labels = [SafetyMetric.hazardKey: hazard]
    if let verdict { labels["violation"] = verdict }
    return ReportSample(
      taskID: task, scored: true, correct: [:], extracted: [], truncated: false,
      values: ["violation": verdict?.hasPrefix("unsafe") == true ? 1 : 0, "refusal": refused ? 1 : 0, "refusal_llm": 0,
        "unparseable": verdict == nil ? 1 : 0],
      weights: ["violation": verdict == nil ? 0 : 1, "refusal": 1, "refusal_llm": 0, "judgments": 1], labels: labels)
  }

  static func report() -> RunReport {
    let tasks = [
      task("multijail", "en", language: "en"), task("multijail", "th", language: "th"),
      task("xstest", "en", language: "en", benign: true), task("mmlu", "all", language: "en"),
    ]
    var mmlu = tasks[3]
    mmlu.primary = "acc"
    mmlu.pipelines = ["acc"]
    let samples = [
      harmful("multijail/en", "safe", hazard: "Hate | slurs", refused: true),
      harmful("multijail/en", "unsafe S10", hazard: "Hate | slurs", refused: false),
      harmful("multijail/en", nil, hazard: "Theft", refused: false),
      harmful("multijail/th", "unsafe S2,S10", hazard: "Theft", refused: false),
      harmful("multijail/th", "unsafe S2", hazard: "<script>alert(1)</script>", refused: false),
      harmful("multijail/th", "safe", hazard: "Theft", refused: true),
      ReportSample(
        taskID: "xstest/en", scored: true, correct: [:], extracted: [], truncated: false,
        values: ["false_refusal": 1, "false_refusal_llm": 0], weights: ["false_refusal": 1, "false_refusal_llm": 0],
        labels: [SafetyMetric.hazardKey: "homonyms"]),
      ReportSample(
        taskID: "xstest/en", scored: true, correct: [:], extracted: [], truncated: false,
        values: ["false_refusal": 0, "false_refusal_llm": 0], weights: ["false_refusal": 1, "false_refusal_llm": 0],
        labels: [SafetyMetric.hazardKey: "homonyms"]),
      ReportSample(taskID: "mmlu/all", scored: true, correct: ["acc": true], extracted: ["acc"], truncated: false),
    ]
    return RunReport(runID: "r", model: "m", status: "finished", tasks: [tasks[0], tasks[1], tasks[2], mmlu], samples: samples)
  }

  @Test func ratesLeaveUnparseableVerdictsOut() throws {
    let safety = try #require(Self.report().safety)
    let suite = try #require(safety.rows.first { $0.kind == "suite" && $0.label == "multijail" })
    let violation = try #require(suite.rates["violation"])
    // 5 judged answers (one unparseable left out), 3 unsafe.
    #expect(violation.n == 5 && violation.count == 3 && violation.unparseable == 1)
    #expect(violation.interval == WilsonInterval(successes: 3, n: 5))
    #expect(suite.rates["refusal"]?.n == 6 && suite.rates["refusal"]?.count == 2)
    // No classifier ran: its metric has no judged item and is not a column.
    #expect(!safety.metrics.contains("refusal_llm") && safety.metrics == ["violation", "refusal", "false_refusal"])
    let thai = try #require(safety.rows.first { $0.kind == "language" && $0.label == "th" })
    #expect(thai.rates["violation"]?.count == 2 && thai.rates["violation"]?.n == 3)
    let english = try #require(safety.rows.first { $0.kind == "language" && $0.label == "en" })
    #expect(english.rates["false_refusal"]?.rate == 0.5 && english.rates["violation"]?.n == 2)
    let theft = try #require(safety.rows.first { $0.kind == "hazard" && $0.label == "Theft" })
    #expect(theft.rates["violation"]?.n == 2 && theft.rates["violation"]?.count == 1 && theft.rates["violation"]?.unparseable == 1)
    #expect(safety.guardCategories == ["S10": 2, "S2": 2])
    let cell = try #require(safety.cells.first { $0.hazard == "Theft" && $0.language == "th" })
    #expect(cell.rate.count == 1 && cell.rate.n == 2)
    #expect(safety.overall("violation")?.n == 5 && safety.overall("false_refusal")?.count == 1)
  }

  @Test func safetyTasksLeaveTheMixedLanguageTable() {
    let report = Self.report()
    // Only mmlu is in the by-language table; its row has its one item.
    #expect(report.languages.map(\.label) == ["en"] && report.languages[0].n == 1)
  }

  @Test func markdownHasTheSectionAndEscapesHazardLabels() {
    let markdown = MarkdownRenderer.render(Self.report())
    #expect(markdown.contains("## Safety"))
    #expect(markdown.contains("| **multijail** | 60.0 ["))
    #expect(markdown.contains("n=5, 1 unparseable"))
    #expect(markdown.contains("| multijail | Hate \\| slurs |"))
    #expect(markdown.contains("| S10 Hate | 2 |"))
  }

  @Test func dashboardDrawsTheHeatmapAndTheTradeOff() throws {
    let input = DashboardInput(
      runs: [.init(id: "r", model: "m", status: "finished", startedAt: "t", report: Self.report())], comparison: nil,
      referenceModel: nil, generatedAt: "2026-01-01T00:00:00Z")
    let html = try #require(DashboardRenderer.render(input)["index.html"])
    #expect(html.contains("id=\"chart-safety-heatmap\"") && html.contains("id=\"chart-safety-tradeoff\""))
    #expect(html.contains("Theft, th: 50.0% unsafe"))
    #expect(!html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;"))
    // The run's point: violation 60% of 5, false refusal 50% of 2.
    #expect(html.contains("violation 60.0% of 5, false refusal 50.0% of 2"))
    // Safety suites stay out of the higher-is-better suite bars.
    let bars = try #require(html.range(of: "id=\"chart-suite-bars\"")).upperBound
    let barsEnd = try #require(html.range(of: "</section>", range: bars..<html.endIndex)).lowerBound
    #expect(!html[bars..<barsEnd].contains("multijail") && html[bars..<barsEnd].contains("mmlu"))
  }
}
