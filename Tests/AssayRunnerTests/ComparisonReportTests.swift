import AssayCore
import AssayReport
import Testing

/// `assay compare`'s pairing, flips and Markdown, called directly (CompareCommandTests runs them through the binary).
@Suite struct ComparisonReportTests {
  let baseline: [SampleKey: Double] = [
    SampleKey(taskID: "a", index: 0): 1, SampleKey(taskID: "a", index: 1): 0, SampleKey(taskID: "b", index: 0): 1,
  ]
  let candidate: [SampleKey: Double] = [
    SampleKey(taskID: "a", index: 1): 1, SampleKey(taskID: "a", index: 0): 1, SampleKey(taskID: "c", index: 0): 0,
  ]

  @Test func itemsArePairedBySuiteAndSampleInOrder() {
    #expect(ComparisonReport.pairs(baseline: baseline, candidate: candidate) == [
      PairedItem(suite: "a", sample: 0, baseline: 1, candidate: 1),
      PairedItem(suite: "a", sample: 1, baseline: 0, candidate: 1),
    ])
  }

  @Test func onlyChangedItemsAreFlips() {
    let items = [
      PairedItem(suite: "a", sample: 0, baseline: 1, candidate: 1), PairedItem(suite: "a", sample: 1, baseline: 0, candidate: 1),
      PairedItem(suite: "b", sample: 7, baseline: 1, candidate: 0.5),
    ]
    let lines = ComparisonReport.flips(items)
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix(#"{"baseline":0"#) && lines[0].contains(#""direction":"improved","sample":1,"suite":"a"}"#))
    #expect(lines[1].contains(#""direction":"regressed","sample":7,"suite":"b"}"#))
  }

  @Test func theMarkdownHasOneRowPerSuiteAndStatesTheGate() {
    let items = (0..<20).map { PairedItem(suite: $0 < 10 ? "a" : "b", sample: $0, baseline: 1, candidate: $0 % 10 == 0 ? 0 : 1) }
    let comparison = Comparison(items: items, settings: .init(alpha: 0.05, iterations: 200, seed: 0, regressionThreshold: 1))
    let text = ComparisonReport.markdown(
      comparison, baseline: "base.jsonl", candidate: "run-2", alpha: 0.05, regressionThreshold: 1, unpaired: (3, 0))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "# Compare: base.jsonl → run-2")
    #expect(lines[2] == "| suite | n | baseline | candidate | Δ (pts) | 95% CI | p | test | MDE | flips −/+ | |")
    #expect(lines.filter { $0.hasPrefix("| a | 10 | 100.0 | 90.0 | -10.0 |") }.count == 1)
    #expect(lines.contains { $0.hasPrefix("| overall | 20 | 100.0 | 90.0 | -10.0 |") })
    #expect(lines.contains("Scores in percent; p Holm-adjusted across suites at alpha 0.05; MDE at 80% power."))
    #expect(lines.contains("Not paired (scored in only one run): 3 baseline items, 0 candidate items."))
    #expect(lines.last == (comparison.regression ? "**Regression found.**" : "No significant regression beyond 1.0 points."))
    let ungated = ComparisonReport.markdown(
      comparison, baseline: "x", candidate: "y", alpha: 0.05, regressionThreshold: nil, unpaired: (0, 0))
    #expect(!ungated.contains("Not paired") && !ungated.contains("egression"))
  }
}

/// The dashboard's forest plot compares the newest run with the newest earlier one that shares a suite.
@Suite struct DashboardForestPairTests {
  func run(_ id: String, suite: String) -> DashboardInput.Run {
    let tasks = [ReportTask(taskID: "\(suite)/main", suiteID: suite, variantID: "main", language: "en", primary: "strict", pipelines: ["strict"], planned: 1)]
    let samples = [ReportSample(taskID: "\(suite)/main", scored: true, correct: ["strict": true], extracted: ["strict"], truncated: false)]
    return .init(id: id, model: "m", status: "finished", startedAt: id, report: RunReport(runID: id, model: "m", status: "finished", tasks: tasks, samples: samples))
  }

  @Test func theNewestRunIsPairedWithTheNewestEarlierRunOfASharedSuite() throws {
    let pair = try #require(DashboardInput.defaultForestPair([run("1", suite: "mgsm"), run("2", suite: "mgsm"), run("3", suite: "xnli"), run("4", suite: "mgsm")]))
    #expect(pair.baseline == "2" && pair.candidate == "4")
    #expect(DashboardInput.defaultForestPair([run("1", suite: "xnli"), run("2", suite: "mgsm")]) == nil)
    #expect(DashboardInput.defaultForestPair([]) == nil)
  }
}
