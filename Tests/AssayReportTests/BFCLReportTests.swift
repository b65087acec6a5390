import AssayCore
import AssayReport
import AssayToolUse
import Testing

/// A run with BFCL categories gets BFCL's summary figures in its report, from the variant rows.
@Suite struct BFCLReportTests {
  static func samples(_ taskID: String, right: Int, of total: Int) -> [ReportSample] {
    (0..<total).map { index in
      ReportSample(taskID: taskID, scored: true, correct: ["accuracy": index < right], extracted: ["accuracy"], truncated: false)
    }
  }

  @Test func theReportAveragesCategoriesAsBFCLDoesAndNamesWhatWasNotRun() {
    let layout: [(suite: String, variant: String, right: Int, total: Int)] = [
      ("bfcl", "simple-python", 3, 4), ("bfcl", "simple-java", 1, 2), ("bfcl", "simple-javascript", 0, 2),
      ("bfcl", "live-simple", 2, 2), ("bfcl", "live-multiple", 0, 6),
      ("bfcl-relevance", "irrelevance", 4, 4), ("bfcl-relevance", "live-irrelevance", 1, 4),
    ]
    let tasks = layout.map {
      ReportTask(
        taskID: "\($0.suite)/\($0.variant)", suiteID: $0.suite, variantID: $0.variant, language: "en",
        primary: "accuracy", pipelines: ["accuracy"], planned: $0.total)
    }
    let samples = layout.flatMap { Self.samples("\($0.suite)/\($0.variant)", right: $0.right, of: $0.total) }
    let report = RunReport(runID: "r", model: "m", status: "completed", tasks: tasks, samples: samples)
    guard let summary = report.bfcl?["prompted"] else {
      Issue.record("no BFCL summary")
      return
    }
    let byName = Dictionary(uniqueKeysWithValues: summary.groups.map { ($0.name, $0) })
    #expect(byName["non-live simple"]?.accuracy == (0.75 + 0.5 + 0) / 3)
    #expect(byName["live overall"]?.accuracy == nil)
    #expect(byName["live overall"]?.missing == ["live_parallel", "live_parallel_multiple"])
    #expect(byName["hallucination: irrelevance"]?.accuracy == (1 + 0.25) / 2)
    let markdown = MarkdownRenderer.render(report)
    #expect(markdown.contains("## BFCL summary (prompted)"))
    #expect(markdown.contains("| non-live simple | 41.7 | 8 |"))
    #expect(markdown.contains("not run: multiple, parallel, parallel_multiple"))
  }

  @Test func aRunWithoutBFCLHasNoSummary() {
    let tasks = [ReportTask(taskID: "arc/easy", suiteID: "arc", variantID: "easy", language: "en", primary: "acc", pipelines: ["acc"], planned: 2)]
    let report = RunReport(runID: "r", model: "m", status: "completed", tasks: tasks, samples: Self.samples("arc/easy", right: 1, of: 2))
    #expect(report.bfcl == nil)
    #expect(!MarkdownRenderer.render(report).contains("BFCL"))
  }
}
