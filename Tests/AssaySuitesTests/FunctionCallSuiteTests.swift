import AssayCore
import AssaySuites
import Foundation
import Testing

/// The shipped BFCL suites on the real BFCL files: the request BFCL's prompted mode sends, and the grade of right,
/// wrong and hostile answers through `FunctionCallGrader`.
@Suite struct FunctionCallSuiteTests {
  func task(_ suiteID: String, _ variantID: String) throws -> EvalTask {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let suite = try #require(catalog.suites[suiteID])
    let variant = try #require(suite.variants.first { $0.id == variantID })
    return try TaskLoader(dataRoot: DataRoot(path: TestPaths.datasets, origin: "test")).load(suite: suite, variant: variant)
  }

  func grade(_ task: EvalTask, _ index: Int, _ text: String) async -> Grade {
    await FunctionCallGrader().grade(task: task, sample: task.samples[index], response: .text(text))
  }

  func correct(_ grade: Grade) -> Bool? {
    if case .scored(let score) = grade { return score.correct["accuracy"] }
    return nil
  }

  @Test func theRequestIsBFCLsSystemPromptAndTheQuestion() throws {
    let task = try task("bfcl", "simple-python")
    #expect(task.samples.count == 400)
    let request = try task.request(for: task.samples[0], options: GenerationOptions(model: "m"))
    guard case .chat(let messages) = request.prompt else {
      Issue.record("a function_call request is a chat")
      return
    }
    #expect(messages.map(\.role) == ["system", "user"])
    #expect(messages[0].content.hasPrefix("You are an expert in composing functions.You are given a question"))
    #expect(messages[0].content.contains("\"name\": \"calculate_triangle_area\""))
    #expect(messages[0].content.contains("Note that the provided function is in Python 3 syntax."))
    #expect(messages[1].content.contains("triangle"))
  }

  @Test func rightWrongAndHostileAnswersAreGradedAsBFCLDoes() async throws {
    let task = try task("bfcl", "simple-python")
    // simple_python_0: calculate_triangle_area(base=10, height=5), `unit` optional ("units" or left out).
    #expect(correct(await grade(task, 0, "[calculate_triangle_area(base=10, height=5)]")) == true)
    #expect(correct(await grade(task, 0, "calculate_triangle_area(base=10, height=5, unit='Units')")) == true)
    #expect(correct(await grade(task, 0, "[calculate_triangle_area(base=11, height=5)]")) == false)
    #expect(correct(await grade(task, 0, "[calculate_triangle_area(base='10', height=5)]")) == false)
    #expect(correct(await grade(task, 0, "The area is 25.")) == false)
    // Hostile answers are values: escape sequences, a call that would run if evaluated, absurd nesting and chains.
    for hostile in [
      "\u{1B}[2J\u{1B}]0;pwned\u{07}[calculate_triangle_area(base=10, height=5)]",
      "[calculate_triangle_area(base=10, height=__import__('os').system('touch /tmp/assay-pwned'))]",
      "[calculate_triangle_area(base=1" + String(repeating: "+1", count: 100_000) + ", height=5)]",
      String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000),
      "[f(a=" + String(repeating: "-", count: 100_000) + "1)]",
      "[f(a=" + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + ")]",
      "[f(a=x" + String(repeating: ".y", count: 100_000) + "(1))]",
    ] {
      #expect(correct(await grade(task, 0, hostile)) == false, "\(hostile.prefix(60))")
    }
    #expect(!FileManager.default.fileExists(atPath: "/tmp/assay-pwned"))
  }

  @Test func javaAndRelevanceItemsFollowTheirCategoriesRules() async throws {
    let java = try task("bfcl", "simple-java")
    // simple_java_0: GeometryPresentation.createPresentation(controller=mapController, parent=mapArea).
    #expect(correct(await grade(java, 0, "[GeometryPresentation.createPresentation(controller=mapController, parent=mapArea)]")) == true)
    #expect(correct(await grade(java, 0, "[GeometryPresentation.createPresentation(controller=mapController)]")) == false)
    let irrelevance = try task("bfcl-relevance", "irrelevance")
    #expect(correct(await grade(irrelevance, 0, "None of the functions can answer this.")) == true)
    #expect(correct(await grade(irrelevance, 0, "[determine_body_mass_index(weight=70, height=1.75)]")) == false)
    let relevance = try task("bfcl-relevance", "live-relevance")
    #expect(correct(await grade(relevance, 0, "I cannot help.")) == false)
  }
}
