import AssayCore

/// One game of a pairwise judgment, shared by judge suites (`JudgeGrader`: the model against a baseline) and
/// comparison sets (`PairJudge`: model A against model B): the judge's messages for two answers in one order, and
/// the game itself, asked once and, without a verdict, once more (Arena-Hard continues the conversation with its
/// follow-up; the others send the same request with another seed).
enum PairwiseGame {
  /// The judge's token budget when the spec names none (Arena-Hard's).
  static let defaultMaxTokens = 4096

  /// The system message and the filled template for `first` shown before `second`.
  static func messages(spec: JudgeSpec, question: String, first: String, second: String) throws(AssayError) -> [ChatMessage] {
    let prompt = JudgePrompt(name: "pairwise", systemPrompt: spec.system ?? "", promptTemplate: spec.template ?? "")
    let user = try prompt.render([
      "question_1": question, "question": question, "instruction": question, "answer_1": first, "output_1": first,
      "answer_2": second, "output_2": second,
    ])
    var messages = spec.system.map { [ChatMessage(role: "system", content: $0)] } ?? []
    messages.append(ChatMessage(role: "user", content: user))
    return messages
  }

  /// Plays one game; `ask` sends a request and returns the reply's text (or throws what failed).
  static func play(
    _ messages: [ChatMessage], spec: JudgeSpec, model: String, modelFirst: Bool,
    ask: (ModelRequest) async throws(AssayError) -> String
  ) async throws(AssayError) -> JudgeGrader.Game {
    let kind = spec.verdicts ?? "arena-hard"
    let maxTokens = spec.maxTokens ?? defaultMaxTokens
    let first = try await ask(ModelRequest(model: model, prompt: .chat(messages), maxTokens: maxTokens, temperature: 0))
    var verdict = PairwiseVerdict.parse(first, kind: kind, modelFirst: modelFirst)
    guard case .verdict = verdict else {
      var request = ModelRequest(model: model, prompt: .chat(messages), maxTokens: maxTokens, temperature: 0, seed: 1)
      if let followUp = spec.followUp {
        request = ModelRequest(
          model: model,
          prompt: .chat(messages + [ChatMessage(role: "assistant", content: first), ChatMessage(role: "user", content: followUp)]),
          maxTokens: maxTokens, temperature: 0)
      }
      let second = try await ask(request)
      verdict = PairwiseVerdict.parse(spec.followUp != nil ? "\n" + first + "\n" + second : second, kind: kind, modelFirst: modelFirst)
      if case .missing = verdict { verdict = .unparseable }
      return JudgeGrader.Game(modelFirst: modelFirst, replies: [first, second], verdict: verdict)
    }
    return JudgeGrader.Game(modelFirst: modelFirst, replies: [first], verdict: verdict)
  }
}
