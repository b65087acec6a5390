import AssayCore
import AssayReport
import Testing

/// The Markdown report's two tables: by suite (suite and language columns) and by language (headed by language,
/// without a second language column).
@Suite struct MarkdownRendererTests {
  func report() -> RunReport {
    let tasks = [
      ReportTask(taskID: "xcopa/sw", suiteID: "xcopa", variantID: "sw", language: "sw", primary: "acc", pipelines: ["acc"],
                 planned: 2),
      ReportTask(taskID: "xcopa/th", suiteID: "xcopa", variantID: "th", language: "th", primary: "acc", pipelines: ["acc"],
                 planned: 2),
    ]
    let samples = [("xcopa/sw", true), ("xcopa/sw", false), ("xcopa/th", true), ("xcopa/th", true)].map { task, right in
      ReportSample(taskID: task, scored: true, correct: ["acc": right], extracted: ["acc"], truncated: false)
    }
    return RunReport(runID: "r", model: "m", status: "finished", tasks: tasks, samples: samples)
  }

  @Test func languageTableIsHeadedByLanguage() throws {
    let lines = MarkdownRenderer.render(report()).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let suiteHead = try #require(lines.firstIndex(of: "## By suite"))
    let languageHead = try #require(lines.firstIndex(of: "## By language"))
    #expect(lines[suiteHead + 2].hasPrefix("| suite | lang | n |"))
    #expect(lines[languageHead + 2].hasPrefix("| language | n |"))
    // Each language row has as many cells as its header: label, n, then the eight figures.
    let header = lines[languageHead + 2].filter { $0 == "|" }.count
    let swahili = try #require(lines[(languageHead + 3)...].first { $0.hasPrefix("| sw |") })
    #expect(swahili.filter { $0 == "|" }.count == header)
    #expect(swahili.hasPrefix("| sw | 2 | 50.0 ("))
  }
}
