import AssayCore
import AssayReport
import Testing

@Suite struct DashboardRendererTests {
  func report(_ id: String, correct: [Bool]) -> RunReport {
    let tasks = [ReportTask(taskID: "mgsm/de", suiteID: "mgsm", variantID: "de", language: "de", primary: "strict", pipelines: ["strict"], planned: correct.count)]
    let samples = correct.map { ReportSample(taskID: "mgsm/de", scored: true, correct: ["strict": $0], extracted: ["strict"], truncated: false) }
    return RunReport(runID: id, model: "m<1>", status: "finished", tasks: tasks, samples: samples)
  }

  func input() -> DashboardInput {
    let a = report("run-a", correct: [true, false, true, true])
    let b = report("run-b", correct: [true, false, false, true])
    let items = (0..<4).map { PairedItem(suite: "mgsm/de", sample: $0, baseline: [1, 0, 1, 1][$0], candidate: [1, 0, 0, 1][$0]) }
    return DashboardInput(
      runs: [.init(id: "run-a", model: "m<1>", status: "finished", startedAt: "t1", report: a),
             .init(id: "run-b", model: "m<1>", status: "finished", startedAt: "t2", report: b)],
      comparison: ("run-a", "run-b", Comparison(items: items, settings: .init(iterations: 500))), referenceModel: nil,
      generatedAt: "2026-01-01T00:00:00Z")
  }

  @Test func isDeterministic() {
    #expect(DashboardRenderer.render(input()) == DashboardRenderer.render(input()))
  }

  @Test func containsEveryChartAndEscapesNames() {
    let html = DashboardRenderer.render(input())["index.html"]!
    for id in DashboardRenderer.chartIDs { #expect(html.contains("id=\"\(id)\"")) }
    #expect(html.contains("m&lt;1&gt;"))
    #expect(!html.contains("m<1>"))
    #expect(!html.contains("<script"))
    #expect(html.contains("75.0"))  // run-a's score
  }

  @Test func leaderboardShowsEveryRatedModel() {
    var value = input()
    value.leaderboards = [.init(set: "ae", judgments: 40, rows: [(model: "m-one", rating: 1040, low: 1010, high: 1070, win: 0.6),
      (model: "m-two", rating: 960, low: 930, high: 990, win: 0.4)])]
    let html = DashboardRenderer.render(value)["index.html"]!
    let section = html[html.range(of: "id=\"chart-human-ratings\"")!.upperBound...]
    #expect(section.contains("<svg") && section.contains("m-one") && section.contains("m-two") && section.contains("40 judgments"))
  }

  /// A long model name used to run under the interval lines: the label column now fits the labels (up to a cap,
  /// past which a label is cut in the middle and kept whole in its title), and values have their own column.
  @Test func longLabelsNeitherOverlapTheIntervalsNorGetLost() throws {
    var value = input()
    let long = "SmolLM2-135M-Instruct.Q2_K (20261206-022902-8c93)"
    let huge = String(repeating: "very-long-checkpoint-name-", count: 12)
    value.leaderboards = [.init(set: "ae", judgments: 30, rows: [(model: long, rating: 1023, low: 977, high: 1067, win: 0.33),
      (model: huge, rating: 977, low: 933, high: 1023, win: 0.2)], notes: ["LLM judge llm:j: agrees on 37.5% of 16 items"])]
    let html = DashboardRenderer.render(value)["index.html"]!
    let section = String(html[html.range(of: "id=\"chart-human-ratings\"")!.upperBound...])
    #expect(section.contains(">\(long)</text>"), "a label that fits is shown whole")
    #expect(section.contains("<title>\(huge)</title>") && !section.contains(">\(huge)</text>") && section.contains("…"))
    #expect(section.contains("LLM judge llm:j: agrees on 37.5% of 16 items"))
    // Every interval starts right of the label column and ends left of the value column.
    let width = try #require(section.firstMatch(of: /<svg width="(\d+)"/).map { Int($0.1)! })
    for match in section.matches(of: /<line x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)" stroke="#1d2330"/) {
      let (x1, x2) = (Double(match.1)!, Double(match.2)!)
      #expect(x1 >= 160 + 8 && x2 <= Double(width - 56), "\(match.0)")
    }
  }

  @Test func emptyStatesSayWhatIsMissing() {
    let html = DashboardRenderer.render(DashboardInput(runs: [], comparison: nil, referenceModel: nil, generatedAt: "t"))["index.html"]!
    #expect(html.contains("No runs."))
    #expect(html.contains("pass --reference MODEL"))
    #expect(html.contains("Needs two runs"))
  }
}
