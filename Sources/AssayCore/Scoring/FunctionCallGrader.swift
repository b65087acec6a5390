import AssayToolUse

/// Grades `function_call` items as BFCL does (or, for variants with `checker: nexus`, as NexusRaven does:
/// `NexusGrading`). Prompted (the default): the functions are in the system prompt and the
/// model's text is decoded as BFCL's format (`[f(a=1), g(b="x")]`). Native (variant parameter `calling: native`):
/// the functions go in the request's `tools` and the reply's `tool_calls` are decoded (`BFCLTools`). Either way the
/// calls are checked against the item's ground truth by `BFCLChecker` (AssayToolUse). The item's
/// record is what the suite's prompt template renders (the BFCL line: `id`, `question`, `function`); the ground
/// truth is the `answer` field (the line of `possible_answer/`), absent for the relevance categories. The category
/// is the variant's `category` parameter, else its id.
///
/// ```swift
/// let graders = TaskGraders([.functionCall: FunctionCallGrader()])
/// ```
public struct FunctionCallGrader: ResponseGrader {
  /// A grader; it holds no state.
  public init() {}

  /// Whether the task asks through the OpenAI `tools` field (variant parameter `calling: native`).
  public static func isNative(_ task: EvalTask) -> Bool { task.variant.params["calling"] == "native" }

  /// The BFCL category a task's items belong to.
  public static func category(of task: EvalTask) -> String { task.variant.params["category"] ?? task.variant.id }

  /// The item's BFCL record, parsed as Python's `json.loads` would (key order and int/float kept).
  public static func record(task: EvalTask, sample: Sample) throws(AssayError) -> PyValue {
    let text = try task.question(for: sample)
    do {
      return try PyJSON.parse(text)
    } catch {
      throw AssayError(.invalidData, "\(task.id) row \(sample.index): the prompt template did not render a BFCL record (\(error))",
        fix: "a function_call suite reads each line as text (`format: text`) and its prompt template is `{{text}}`")
    }
  }

  /// The messages BFCL's prompted mode sends for the item.
  public static func messages(task: EvalTask, sample: Sample) throws(AssayError) -> [ChatMessage] {
    try chat(task: task, sample: sample).messages
  }

  /// The item's chat request: prompted, the messages with BFCL's system prompt; native, the question's messages
  /// alone and the functions as the `tools` array (compact JSON).
  public static func chat(task: EvalTask, sample: Sample) throws(AssayError) -> (messages: [ChatMessage], tools: String?) {
    if NexusGrading.applies(to: task) { return (try NexusGrading.messages(task: task, sample: sample), nil) }
    let record = try record(task: task, sample: sample)
    let category = category(of: task)
    do {
      if isNative(task) {
        let messages = try BFCLTools.messages(record: record).map { ChatMessage(role: $0.role, content: $0.content) }
        let tools = try BFCLTools.tools(functions: record["function"] ?? .list([]), category: category)
        // As bfcl-eval, no `tools` field when the item has no functions (some live_irrelevance items).
        return (messages, tools.elements?.isEmpty == false ? PyJSONDump.compact(tools) : nil)
      }
      let messages = try BFCLPrompt.messages(record: record, category: category).map {
        ChatMessage(role: $0.role, content: $0.content)
      }
      return (messages, nil)
    } catch {
      throw AssayError(.invalidData, "\(task.id) row \(sample.index): \(error)", fix: "check the file is BFCL's v4 layout")
    }
  }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
    if NexusGrading.applies(to: task) { return NexusGrading.grade(task: task, sample: sample, response: response) }
    let category = Self.category(of: task)
    let record: PyValue
    do {
      record = try Self.record(task: task, sample: sample)
    } catch {
      return .unscored(reason: error.description, retryable: false)
    }
    var groundTruth: PyValue?
    if let answerLine = sample.fields["answer"], !answerLine.isEmpty {
      guard let answer = try? PyJSON.parse(answerLine), answer["id"] == record["id"] else {
        return .unscored(reason: "the answer line of row \(sample.index) is not the ground truth of \(record["id"].map(PyRepr.strText) ?? "?")", retryable: false)
      }
      groundTruth = answer["ground_truth"]
    }
    let kind = BFCLChecker.kind(ofCategory: category)
    if groundTruth == nil && kind != .irrelevance && kind != .relevance {
      return .unscored(reason: "row \(sample.index) of \(category) has no ground truth (the `answer` field)", retryable: false)
    }
    let verdict: BFCLChecker.Verdict
    let decoded: String
    if Self.isNative(task) {
      let reply: ToolCallReply
      switch response {
      case .toolCalls(let stored): reply = stored
      case .text(let text): reply = ToolCallReply(content: text, toolCalls: [])  // asked without tools: no functions
      default: return .unscored(reason: "row \(sample.index): the stored answer is not a chat reply", retryable: true)
      }
      let calls = reply.toolCalls.isEmpty ? nil : reply.toolCalls.map { (name: $0.name, arguments: $0.arguments) }
      verdict = BFCLTools.judge(
        calls: calls, content: reply.content, functions: record["function"] ?? .list([]), groundTruth: groundTruth,
        category: category)
      if case .calls(let value) = BFCLTools.decode(calls: calls, content: reply.content) { decoded = PyRepr.repr(value) } else { decoded = "" }
    } else {
      let text = response.storedText
      verdict = BFCLChecker.judge(text: text, functions: record["function"] ?? .list([]), groundTruth: groundTruth, category: category)
      decoded = (try? BFCLDecoder.decode(text, format: BFCLChecker.format(ofCategory: category))).map(PyRepr.repr) ?? ""
    }
    return .scored(SampleScore(
      answers: ["accuracy": decoded], correct: ["accuracy": verdict.valid], primary: "accuracy",
      explanation: verdict.valid ? "calls match the ground truth" : "\(verdict.errorType ?? ""): \(verdict.message ?? "")"))
  }
}
