import AssayCore
import AssaySuites
import Foundation
import Testing

/// The shipped needle suites on XQuAD's paragraphs: the haystack holds each paragraph once, the grid's items carry
/// their needles and question in the variant's language, and answers are graded by recall.
@Suite struct NeedleSuiteTests {
  func task(_ suiteID: String, _ variantID: String) throws -> EvalTask {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let suite = try #require(catalog.suites[suiteID])
    let variant = try #require(suite.variants.first { $0.id == variantID })
    return try TaskLoader(dataRoot: DataRoot(path: TestPaths.datasets, origin: "test")).load(suite: suite, variant: variant)
  }

  @Test func theHaystackIsEveryParagraphOnceAndTheGridIsMetas() throws {
    let task = try task("needle", "en")
    let haystack = try #require(task.needle?.haystack)
    #expect(haystack.components(separatedBy: "\n\n").count == 240)  // XQuAD's 240 paragraphs
    #expect(task.samples.count == 10 * 11)
    #expect(task.suite.solver.generate.maxTokens == 256)
    #expect(task.samples[0].fields["context"] == "")
    #expect(task.samples[0].golds.count == 1 && task.samples[0].golds[0].count == 7)
    #expect(task.samples[0].fields["question"]?.contains("box \(task.samples[0].fields["needles"]!.prefix(12).suffix(3))") == true)
  }

  @Test func multiNeedleAsksForTwoOfFourInTheVariantsLanguage() async throws {
    let task = try task("multi-needle", "de")
    let sample = task.samples[7]
    let needles = try JSONSerialization.jsonObject(with: Data(sample.fields["needles"]!.utf8)) as! [[String: Any]]
    #expect(needles.count == 4)
    let asked = needles.filter { $0["asked"] as? Bool == true }
    #expect(asked.count == 2)
    #expect(sample.golds == asked.map { $0["value"] as! String })
    let question = try #require(sample.fields["question"])
    #expect(question.hasPrefix("Wie lauten die besonderen magischen Zahlen für Kiste \(asked[0]["key"]!) und Kiste \(asked[1]["key"]!)"))
    let half = await NeedleGrader().grade(task: task, sample: sample, response: .text("Die Zahl ist \(sample.golds[1])."))
    guard case .scored(let score) = half else { Issue.record("not scored"); return }
    #expect(score.values["recall"] == 0.5)
    let both = await NeedleGrader().grade(
      task: task, sample: sample, response: .text("\(sample.golds[0]) und \(sample.golds[1])"))
    guard case .scored(let full) = both else { Issue.record("not scored"); return }
    #expect(full.values["recall"] == 1 && full.correct["recall"] == true)
  }

  @Test func everyLanguageRendersItsNeedleWithoutPlaceholdersLeft() throws {
    for language in ["ar", "de", "el", "en", "es", "hi", "ro", "ru", "th", "tr", "vi", "zh"] {
      for suite in ["needle", "multi-needle"] {
        let task = try task(suite, language)
        let spec = try #require(task.suite.needle)
        let sample = task.samples[0]
        let question = try #require(sample.fields["question"])
        #expect(!question.contains("{{") && !question.contains("${"), "\(suite)/\(language)")
        let needle = try NeedlePlacement.sentence(
          NeedleGrid.Needle(key: "417", value: "4829173", depth: 0), spec: spec, params: task.variant.templateParameters)
        #expect(needle.contains("417") && needle.contains("4829173") && !needle.contains("{{"), "\(suite)/\(language)")
        let request = try task.request(for: sample, options: GenerationOptions(model: "m"))
        guard case .chat(let messages) = request.prompt else { Issue.record("a chat request"); return }
        #expect(messages.last?.content.hasSuffix("\n\n" + question) == true, "\(suite)/\(language)")
      }
    }
  }
}
