import AssayCore
import AssaySuites
import AssayToolUse
import Foundation
import Testing

/// The shipped Nexus suite on NexusRaven's query files: the chat request lists the set's functions and the question,
/// the suite's function lists equal `benchmarks/nexus/functions.json`, and replies are scored by call matching.
@Suite struct NexusSuiteTests {
  func task(_ variantID: String) throws -> EvalTask {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let suite = try #require(catalog.suites["nexus"])
    let variant = try #require(suite.variants.first { $0.id == variantID })
    return try TaskLoader(dataRoot: DataRoot(path: TestPaths.datasets, origin: "test")).load(suite: suite, variant: variant)
  }

  func correct(_ task: EvalTask, _ index: Int, _ reply: String) async -> Bool? {
    if case .scored(let score) = await FunctionCallGrader().grade(task: task, sample: task.samples[index], response: .text(reply)) {
      return score.correct["accuracy"]
    }
    return nil
  }

  @Test func theSuitesFunctionListsAreFunctionsJSON() throws {
    let table = try NexusFunction.table(
      json: try String(contentsOfFile: TestPaths.benchmarks + "/nexus/functions.json", encoding: .utf8))
    for (variant, set) in [("cve-cpe", "cve_cpe"), ("virustotal", "virustotal"), ("emailrep", "emailrep")] {
      let task = try task(variant)
      let listed = try (PyJSON.parse(try #require(task.variant.params["functions"])).elements ?? []).map(NexusFunction.init(json:))
      #expect(listed == table[set], "\(variant)")
    }
  }

  @Test func theRequestListsTheFunctionsThenTheQuestion() throws {
    let task = try task("cve-cpe")
    let request = try task.request(for: task.samples[0], options: GenerationOptions(model: "m"))
    guard case .chat(let messages) = request.prompt else {
      Issue.record("a chat request")
      return
    }
    #expect(messages.count == 1 && messages[0].role == "user")
    #expect(messages[0].content.contains("Function:\ndef searchCPE("))
    #expect(messages[0].content.hasSuffix("Question: I want to check vulnerability related to Microsoft Exchange 2010. Can you provide me with a list of two representative CPEs?\n"))
    #expect(request.tools == nil)
  }

  @Test func everyReferenceIsCorrectAsAReplyAndChangesAreNot() async throws {
    for variant in ["cve-cpe", "virustotal", "emailrep", "toolalpaca"] {
      let task = try task(variant)
      var right = 0
      for (index, sample) in task.samples.enumerated() {
        let reference: String
        if variant == "toolalpaca" {
          let golden = try #require(sample.fields["turns_1.golden_answer"])
          reference = try #require(try PyJSON.parse(golden).elements?.first?.string)
        } else {
          reference = try #require(sample.fields["reference"])
        }
        if await correct(task, index, "```python\n\(reference)\n```") == true { right += 1 }
      }
      #expect(right == task.samples.count, "\(variant): \(right) of \(task.samples.count) references score as correct")
    }
    let cve = try task("cve-cpe")
    #expect(await correct(cve, 0, "searchCPE(limit=2, keywordSearch='Microsoft Exchange 2010')") == true)
    #expect(await correct(cve, 0, "Call: searchCPE(keywordSearch=\"Microsoft Exchange 2010\", limit=2)") == true)
    #expect(await correct(cve, 0, "searchCPE(keywordSearch='Microsoft Exchange 2010', limit=3)") == false)
    #expect(await correct(cve, 0, "searchCVE(keywordSearch='Microsoft Exchange 2010', limit=2)") == false)
    #expect(await correct(cve, 0, "searchCPE(keywordSearch='Microsoft Exchange 2010', limit=2, color='red')") == false)
    #expect(await correct(cve, 0, "Microsoft Exchange 2010 has many CPEs.") == false)
    for hostile in [
      "searchCPE(keywordSearch=__import__('os').system('touch /tmp/assay-nexus-pwned'), limit=2)",
      "\u{1B}]0;x\u{07}searchCPE(" + String(repeating: "[", count: 50_000),
      "searchCPE(limit=" + String(repeating: "-", count: 100_000) + "2)",
    ] {
      #expect(await correct(cve, 0, hostile) == false)
    }
    #expect(!FileManager.default.fileExists(atPath: "/tmp/assay-nexus-pwned"))
  }
}
