import AssayCore
import AssayReport
import Foundation
import Testing

/// `ReferenceComparison.compare` scores the published number's row with the pipeline its configuration names (the
/// publisher's rule), and keeps the headline's score and how many verdicts differ beside it.
@Suite struct ReferenceComparisonTests {
  static let model = "Llama 3.1 8B Instruct"

  /// Two MGSM variants of 4 items; verdicts per item as (strict, simple-evals).
  func report(_ verdicts: [String: [(Bool, Bool)]]) -> RunReport {
    let tasks = verdicts.keys.sorted().map { variant in
      ReportTask(taskID: "mgsm/\(variant)", suiteID: "mgsm", variantID: variant, language: variant, primary: "strict",
        pipelines: ["strict", "flexible", "simple-evals"], planned: verdicts[variant]!.count)
    }
    let samples = verdicts.flatMap { variant, items in
      items.map { strict, reference in
        ReportSample(taskID: "mgsm/\(variant)", scored: true, correct: ["strict": strict, "flexible": strict, "simple-evals": reference],
          extracted: ["strict", "flexible", "simple-evals"], truncated: false)
      }
    }
    return RunReport(runID: "r", model: "m", status: "finished", tasks: tasks, samples: samples)
  }

  func compare(_ report: RunReport, pipeline: String?) throws -> [ReferenceComparisonRow] {
    let rows = try JSONDecoder().decode([ReferenceRow].self, from: Data(#"""
      [{"model": "\#(Self.model)", "variant": "instruct", "benchmark": "MGSM (CoT)", "n_shot": 0, "cot": true,
        "metric": "em", "score": 50.0, "source": "paper", "note": "", "second_hand": false}]
      """#.utf8))
    var configuration = try JSONDecoder().decode(PublishedConfiguration.self, from: Data(#"""
      {"suite": "mgsm", "max_tokens": 2048, "dataset_size": 8, "languages": 2, "averaging": "macro", "prompt": "p",
       "decoding": "greedy", "prompt_mode": "chat", "source": "s", "scoring": "simple-evals' parse_answer"}
      """#.utf8))
    configuration.pipeline = pipeline
    let settings = TaskSettings(
      shots: 0, chainOfThought: true, maxTokens: 2048, temperature: 0, promptMode: "chat", samples: 4, datasetSize: 4,
      metric: "strict", family: "mgsm")
    return ReferenceComparison.compare(
      report: report, settings: ["mgsm": [settings, settings]], model: Self.model, rows: rows,
      configurations: ["MGSM (CoT)": configuration])
  }

  @Test func thePublishersPipelineIsComparedAndTheHeadlineShownBesideIt() throws {
    // de: strict 4/4, simple-evals 2/4 (e.g. "7.500"); en: both 2/4, one item each way.
    let run = report([
      "de": [(true, true), (true, true), (true, false), (true, false)],
      "en": [(true, false), (false, true), (true, true), (false, false)],
    ])
    #expect(run.suites[0].total.verdictsDiffering == ["flexible": 0, "simple-evals": 4])
    let row = try #require(try compare(run, pipeline: "simple-evals").first)
    #expect(row.pipeline == "simple-evals" && row.headline == "strict")
    #expect(row.ours == 50.0, "macro over de 50 and en 50")
    #expect(row.headlineScore == 75.0, "macro over de 100 and en 50")
    #expect(row.delta == 0 && row.verdictsDiffering == 4 && row.scored == 8)
    #expect(!row.differences.contains { $0.contains("pipeline") })
    var withRows = run
    withRows.referenceModel = Self.model
    withRows.reference = [row]
    let markdown = MarkdownRenderer.render(withRows)
    #expect(markdown.contains("| mgsm | 50.0 | simple-evals |"), "\(markdown)")
    #expect(markdown.contains(
      "- mgsm: scored by 'simple-evals', the publisher's rule; the headline 'strict' is 75.0 (+25.0 pts against 'simple-evals', +25.0 against the published number); 4 of 8 verdicts differ."),
      "\(markdown)")
  }

  @Test func aSuiteWithoutThePublishersPipelineIsScoredByItsHeadlineAndSaysSo() throws {
    let run = report(["de": [(true, false), (true, false)], "en": [(false, false), (true, true)]])
    let row = try #require(try compare(run, pipeline: "lm-eval-strict").first)
    #expect(row.pipeline == "strict" && row.headlineScore == nil && row.verdictsDiffering == nil)
    #expect(row.ours == 75.0)
    #expect(row.differences.contains {
      $0 == "scored by the headline pipeline 'strict'; the suite has no 'lm-eval-strict' pipeline, which scores as the publisher did (simple-evals' parse_answer)"
    }, "\(row.differences)")
    // No pipeline named: the headline, as before pipelines were recorded.
    let plain = try #require(try compare(run, pipeline: nil).first)
    #expect(plain.pipeline == "strict" && plain.ours == 75.0 && plain.differences.allSatisfy { !$0.contains("pipeline") })
  }
}
