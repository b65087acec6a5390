import AssayCore
import AssaySuites
import AssayToolUse
import Foundation
import Testing

/// The shipped native BFCL suites on the real BFCL files: the request carries the question and the `tools` array,
/// and replies with tool calls (right, wrong, malformed, hostile, or a JSON call left in the text) are graded as
/// bfcl-eval grades a function-calling model.
@Suite struct NativeFunctionCallSuiteTests {
  func task(_ suiteID: String, _ variantID: String) throws -> EvalTask {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let suite = try #require(catalog.suites[suiteID])
    let variant = try #require(suite.variants.first { $0.id == variantID })
    return try TaskLoader(dataRoot: DataRoot(path: TestPaths.datasets, origin: "test")).load(suite: suite, variant: variant)
  }

  func grade(_ task: EvalTask, _ index: Int, calls: [(String, String)], content: String = "") async -> Bool? {
    let reply = ToolCallReply(content: content, toolCalls: calls.map { ToolCall(name: $0.0, arguments: $0.1) })
    let grade = await FunctionCallGrader().grade(task: task, sample: task.samples[index], response: .toolCalls(reply))
    if case .scored(let score) = grade { return score.correct["accuracy"] }
    return nil
  }

  @Test func theRequestIsTheQuestionWithTheFunctionsAsTools() throws {
    let task = try task("bfcl-native", "simple-python")
    let request = try task.request(for: task.samples[1], options: GenerationOptions(model: "m"))
    guard case .chat(let messages) = request.prompt else {
      Issue.record("a function_call request is a chat")
      return
    }
    #expect(messages.map(\.role) == ["user"], "no system prompt: the functions travel as tools")
    let tools = try PyJSON.parse(try #require(request.tools))
    let function = try #require(tools.elements?.first?["function"])
    #expect(tools.elements?.first?["type"] == .str("function"))
    #expect(function["name"] == .str("math_factorial"), "dots become underscores, as OpenAI's names allow")
    #expect(function["parameters"]?["type"] == .str("object"))
    let body = String(decoding: request.jsonBody(), as: UTF8.self)
    #expect(body.contains(#""tools":[{"#))
    // The tools are part of the cache key: the prompted request for the same item is another request.
    let prompted = try self.task("bfcl", "simple-python")
    #expect(try prompted.request(for: prompted.samples[1], options: GenerationOptions(model: "m")).cacheKey != request.cacheKey)
  }

  @Test func anItemWithoutFunctionsIsAskedWithoutTools() async throws {
    let task = try task("bfcl-native-relevance", "live-irrelevance")
    let bare = try #require(task.samples.first { sample in
      (try? task.request(for: sample, options: GenerationOptions(model: "m")).tools) == .some(nil)
    })
    #expect(!String(decoding: try task.request(for: bare, options: GenerationOptions(model: "m")).jsonBody(), as: UTF8.self).contains("tools"))
    // Its answer, stored as plain text, is graded as a reply without calls.
    let grade = await FunctionCallGrader().grade(task: task, sample: bare, response: .text("Nothing to call."))
    guard case .scored(let score) = grade else {
      Issue.record("graded: \(grade)")
      return
    }
    #expect(score.correct["accuracy"] == true)
  }

  @Test func toolCallsAreGradedByNameArgumentsAndTypes() async throws {
    let task = try task("bfcl-native", "simple-python")
    // simple_python_1: math.factorial(number=5), answered under its tool name math_factorial.
    #expect(await grade(task, 1, calls: [("math_factorial", #"{"number": 5}"#)]) == true)
    #expect(await grade(task, 1, calls: [("math.factorial", #"{"number": 5}"#)]) == false, "the name as sent is math_factorial")
    #expect(await grade(task, 1, calls: [("math_factorial", #"{"number": "5"}"#)]) == false, "a string for an integer")
    #expect(await grade(task, 1, calls: [("math_factorial", #"{"number": 6}"#)]) == false)
    #expect(await grade(task, 1, calls: [("math_factorial", #"{"number": 5}"#), ("math_factorial", #"{"number": 5}"#)]) == false)
    #expect(await grade(task, 1, calls: []) == false, "no call")
    // Invalid JSON and non-object arguments are a decoding failure recorded as a wrong answer, not an error.
    #expect(await grade(task, 1, calls: [("math_factorial", #"{"number": 5,"#)]) == false)
    #expect(await grade(task, 1, calls: [("math_factorial", "[5]")]) == false)
    // simple_python_0: the optional `unit` may be left out.
    #expect(await grade(task, 0, calls: [("calculate_triangle_area", #"{"base": 10, "height": 5}"#)]) == true)
  }

  @Test func aJSONCallLeftInTheTextIsReadAsLlamaWritesIt() async throws {
    let task = try task("bfcl-native", "simple-python")
    #expect(await grade(task, 1, calls: [], content: #"{"name": "math_factorial", "parameters": {"number": 5}}"#) == true)
    #expect(await grade(task, 1, calls: [], content: #"<|python_tag|>{"name": "math_factorial", "arguments": {"number": 5}}"#) == true)
    #expect(await grade(task, 1, calls: [], content: #"The answer is {"name": "math_factorial"}"#) == false)
    #expect(await grade(task, 1, calls: [], content: "The factorial of 5 is 120.") == false)
  }

  @Test func relevanceIsWhetherACallIsMade() async throws {
    let irrelevance = try task("bfcl-native-relevance", "irrelevance")
    #expect(await grade(irrelevance, 0, calls: [], content: "I have no function for that.") == true)
    #expect(await grade(irrelevance, 0, calls: [("determine_body_mass_index", #"{"weight": 1, "height": 2}"#)]) == false)
    let relevance = try task("bfcl-native-relevance", "live-relevance")
    #expect(await grade(relevance, 0, calls: [], content: "No.") == false)
  }

  @Test func hostileRepliesAreValues() async throws {
    let task = try task("bfcl-native", "simple-python")
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    for (name, arguments) in [
      ("\u{1B}]0;pwned\u{07}math_factorial", #"{"number": 5}"#),
      ("math_factorial", #"{"number": "\u001b[2J"}"#),
      ("math_factorial", #"{"number": "# + deep + "}"),
      ("math_factorial", String(repeating: "{", count: 100_000)),
      ("__import__('os').system('touch /tmp/assay-native-pwned')", "{}"),
    ] {
      #expect(await grade(task, 1, calls: [(name, arguments)]) == false, "\(name.prefix(40))")
    }
    #expect(!FileManager.default.fileExists(atPath: "/tmp/assay-native-pwned"))
  }

  @Test func theStoredReplyReadsBackAsToolCalls() {
    let reply = ToolCallReply(content: "", toolCalls: [ToolCall(name: "f", arguments: #"{"a": 1}"#)])
    let stored = ResponsePayload.toolCalls(reply).storedText
    #expect(stored == #"{"content":"","tool_calls":[{"arguments":"{\"a\": 1}","name":"f"}]}"#)
    #expect(ResponsePayload(stored: stored, kind: .toolCalls) == .toolCalls(reply))
  }
}
