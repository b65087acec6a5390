import AssayToolUse

/// Grades `function_call` items as BFCL does: the model's text is decoded as BFCL's prompted format
/// (`[f(a=1), g(b="x")]`) and checked against the item's ground truth by `BFCLChecker` (AssayToolUse). The item's
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
    let record = try record(task: task, sample: sample)
    do {
      return try BFCLPrompt.messages(record: record, category: category(of: task)).map {
        ChatMessage(role: $0.role, content: $0.content)
      }
    } catch {
      throw AssayError(.invalidData, "\(task.id) row \(sample.index): \(error)", fix: "check the file is BFCL's v4 layout")
    }
  }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
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
    let text = response.storedText
    let verdict = BFCLChecker.judge(text: text, functions: record["function"] ?? .list([]), groundTruth: groundTruth, category: category)
    let decoded = (try? BFCLDecoder.decode(text, format: BFCLChecker.format(ofCategory: category))).map(PyRepr.repr) ?? ""
    return .scored(SampleScore(
      answers: ["accuracy": decoded], correct: ["accuracy": verdict.valid], primary: "accuracy",
      explanation: verdict.valid ? "calls match the ground truth" : "\(verdict.errorType ?? ""): \(verdict.message ?? "")"))
  }
}
