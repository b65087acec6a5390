import AssayCore

/// Asks an LLM judge which of a comparison item's two answers is better, with a pairwise suite's judge prompt
/// (AlpacaEval's classifier or Arena-Hard's), once with A shown first and once with B first.
///
///     let judge = PairJudge(runtime: client, model: "smollm2", spec: alpacaEval.scorer.judge!)
///     let judged = try await judge.judge(item)   // judged.verdict: .left means A is better
public struct PairJudge: Sendable {
  /// The judge's server.
  public let runtime: any ModelRuntime
  /// The judge's served model name.
  public let model: String
  /// The prompt, the verdict grammar and the token limit (a pairwise `scorer.judge`).
  public let spec: JudgeSpec

  /// A judge; `spec` must be pairwise, with a template.
  public init(runtime: any ModelRuntime, model: String, spec: JudgeSpec) throws(AssayError) {
    guard spec.mode == "pairwise", spec.template != nil else {
      throw AssayError(.invalidArgument, "the judge prompt must come from a pairwise judge suite (scorer.judge.mode: pairwise)",
        fix: "pass --prompt-suite alpaca-eval or --prompt-suite arena-hard")
    }
    self.runtime = runtime
    self.model = model
    self.spec = spec
  }

  /// The two games on one item; a reply without a verdict is asked once more (with another seed). A failed request
  /// is an error (the item stays unjudged, so running again retries it).
  public func judge(_ item: PairItem) async throws(AssayError) -> JudgedPair {
    let prompt = JudgePrompt(name: "pairwise", systemPrompt: spec.system ?? "", promptTemplate: spec.template ?? "")
    var games: [PairwiseVerdict] = []
    var replies: [String] = []
    for aFirst in [true, false] {
      let first = aFirst ? item.responseA : item.responseB
      let second = aFirst ? item.responseB : item.responseA
      let user = try prompt.render([
        "question_1": item.prompt, "question": item.prompt, "instruction": item.prompt, "answer_1": first,
        "output_1": first, "answer_2": second, "output_2": second,
      ])
      var messages = spec.system.map { [ChatMessage(role: "system", content: $0)] } ?? []
      messages.append(ChatMessage(role: "user", content: user))
      var verdict = PairwiseVerdict.missing
      for attempt in 0..<2 {
        var request = ModelRequest(model: model, prompt: .chat(messages), maxTokens: spec.maxTokens ?? 4096, temperature: 0)
        if attempt > 0 { request.seed = attempt }
        switch await runtime.generate(request) {
        case .success(let response):
          replies.append(response.text)
          verdict = PairwiseVerdict.parse(response.text, kind: spec.verdicts ?? "arena-hard", modelFirst: aFirst)
        case .failure(let failure):
          throw AssayError(.serverError, "the judge (\(model)) failed on item \(item.index): \(failure.message)",
            fix: "check the judge's server; run the same command again to judge the items left")
        }
        if case .verdict = verdict { break }
      }
      games.append(verdict)
    }
    return JudgedPair(games: games, replies: replies)
  }
}
