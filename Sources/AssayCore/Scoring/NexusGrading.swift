import AssayToolUse

/// The Nexus side of `FunctionCallGrader` (variant parameter `checker: nexus`): NexusRaven's query sets, asked with
/// NexusRaven-V2's prompt for chat models (the functions as Python signatures with docstrings, then the question)
/// and scored as NexusRaven V1's evaluator scores them (`NexusChecker`: the call's name and its bound arguments,
/// defaults filled in, equal to the reference's). The set is the variant's `set` parameter; its functions are the
/// variant's `functions` parameter (a JSON list, written in the suite file), or, for toolalpaca, the record's own.
///
/// ```swift
/// if NexusGrading.applies(to: task) { let messages = try NexusGrading.messages(task: task, sample: sample) }
/// ```
public enum NexusGrading {
  /// Whether the task is a Nexus set.
  public static func applies(to task: EvalTask) -> Bool { task.variant.params["checker"] == "nexus" }

  /// The variant's set.
  static func set(_ task: EvalTask) throws(AssayError) -> NexusSet {
    guard let name = task.variant.params["set"], let set = NexusSet(rawValue: name) else {
      throw AssayError(.invalidSuite, "\(task.id): a Nexus variant needs `set:` (one of \(NexusSet.allCases.map(\.rawValue).joined(separator: ", ")))",
        fix: "add `set: cve_cpe` (or the set's name) to the variant")
    }
    return set
  }

  /// The functions the item is asked and scored with.
  static func functions(_ task: EvalTask, _ sample: Sample, set: NexusSet) throws(AssayError) -> [NexusFunction] {
    let source = set == .toolalpaca ? sample.fields["turns_1.docstring"] : task.variant.params["functions"]
    guard let source else {
      throw AssayError(.invalidSuite, "\(task.id) row \(sample.index): no functions (the variant's `functions:`, or toolalpaca's turns_1.docstring)",
        fix: "give the variant `functions:`, a JSON list of {name, description, parameters: [{name, type, required, default, description}]}")
    }
    do {
      if set == .toolalpaca { return try NexusFunction.toolalpaca(docstring: source) }
      return try (PyJSON.parse(source).elements ?? []).map(NexusFunction.init(json:))
    } catch {
      throw AssayError(.invalidSuite, "\(task.id) row \(sample.index): the functions do not load (\(error))",
        fix: "`functions:` holds a JSON list of {name, description, parameters: [{name, type, required, default, description}]}")
    }
  }

  /// The question of the item.
  static func query(_ sample: Sample, set: NexusSet) -> String? {
    switch set {
    case .cveCpe, .emailrep, .virustotal: return sample.fields["query"]
    case .toolllm: return sample.fields["Input"]
    case .toolalpaca: return sample.fields["turns_1.instruction"]
    }
  }

  /// The chat messages: one user turn with the functions and the question.
  public static func messages(task: EvalTask, sample: Sample) throws(AssayError) -> [ChatMessage] {
    let set = try set(task)
    let functions = try functions(task, sample, set: set)
    guard let query = query(sample, set: set) else {
      throw AssayError(.invalidData, "\(task.id) row \(sample.index): the record has no question", fix: "check the file is NexusRaven's layout")
    }
    return [ChatMessage(role: "user", content: NexusFunction.chatPrompt(functions, query: query))]
  }

  /// The grade of a reply.
  public static func grade(task: EvalTask, sample: Sample, response: ResponsePayload) -> Grade {
    let set: NexusSet
    let functions: [NexusFunction]
    do {
      set = try Self.set(task)
      functions = try Self.functions(task, sample, set: set)
    } catch {
      return .unscored(reason: error.description, retryable: false)
    }
    let record: PyValue =
      set == .toolalpaca
      ? .dict([(.str("turns_1"), .dict([(.str("golden_answer"), .str(sample.fields["turns_1.golden_answer"] ?? ""))]))])
      : .dict(sample.fields.map { (.str($0.key), .str($0.value)) })
    guard let reference = set.referenceCall(record) else {
      return .unscored(reason: "row \(sample.index) has no reference call", retryable: false)
    }
    let verdict = NexusChecker.judge(
      answer: response.storedText, format: .chat, reference: reference, set: set, functions: NexusFunction.byName(functions))
    return .scored(SampleScore(
      answers: ["accuracy": NexusChecker.extractCall(from: response.storedText) ?? ""], correct: ["accuracy": verdict.correct],
      primary: "accuracy", explanation: verdict.reason))
  }
}
