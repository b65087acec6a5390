import AssayCore
import AssayReport
import Testing

/// A needle task's items placed on its grid by index, in the report, its Markdown and the dashboard's heatmap.
@Suite struct NeedleReportTests {
  // Two lengths by three depths; item index = length position * 3 + depth position.
  let grid = NeedleSettings(window: 8192, lengths: [2048, 7936], depths: [0, 50, 100], needles: 4, asked: 2)

  func report() -> RunReport {
    let task = ReportTask(
      taskID: "multi-needle/en", suiteID: "multi-needle", variantID: "en", language: "en", primary: "recall",
      pipelines: ["recall"], planned: 6, needle: grid)
    let recalls: [Double] = [1, 0.5, 1, 0, 0.5, 1]
    var samples = recalls.enumerated().map { index, recall in
      ReportSample(taskID: "multi-needle/en", scored: true, correct: ["recall": recall == 1], extracted: ["recall"], truncated: false,
        values: ["recall": recall], index: index)
    }
    samples[4].scored = false  // a failed request: its cell stays empty
    return RunReport(runID: "r", model: "m", status: "finished", tasks: [task], samples: samples)
  }

  @Test func cellsFollowTheGrid() throws {
    let map = try #require(report().needle?.first)
    #expect(map.cells[0] == [1, 0])      // depth 0: items 0 and 3
    #expect(map.cells[1] == [0.5, nil])  // depth 50: item 1, item 4 failed
    #expect(map.cells[2] == [1, 1])
    #expect(map.byLength == [2.5 / 3, 0.5])
    #expect(map.byDepth == [0.5, 0.5, 1])
    #expect(map.counts[1] == [1, 0])
  }

  @Test func markdownAndDashboardDrawTheGrid() throws {
    let markdown = MarkdownRenderer.render(report())
    #expect(markdown.contains("## Needle in a haystack: multi-needle/en"))
    #expect(markdown.contains("| depth | 2K | 7936 | mean |"))
    #expect(markdown.contains("| 50% | 50 | — | 50 |"))
    #expect(markdown.contains("the 2 asked of 4 hidden needles"))
    let input = DashboardInput(
      runs: [.init(id: "r", model: "m", status: "finished", startedAt: "t", report: report())], comparison: nil,
      referenceModel: nil, generatedAt: "2026-01-01T00:00:00Z")
    let html = try #require(DashboardRenderer.render(input)["index.html"])
    #expect(html.contains("id=\"chart-needle\""))
    #expect(html.contains("depth 50%, 7936 tokens") == false)  // the failed cell has no value
    #expect(html.contains("depth 100%, 7936 tokens: recall 100.0 (n=1)"))
    #expect(html.contains("(window 8192)"))
  }
}
