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

  /// The two games on one item (`PairwiseGame`: a reply without a verdict is asked once more). A failed request
  /// is an error (the item stays unjudged, so running again retries it).
  public func judge(_ item: PairItem) async throws(AssayError) -> JudgedPair {
    var games: [JudgeGrader.Game] = []
    for aFirst in [true, false] {
      let messages = try PairwiseGame.messages(
        spec: spec, question: item.prompt, first: aFirst ? item.responseA : item.responseB,
        second: aFirst ? item.responseB : item.responseA)
      games.append(try await PairwiseGame.play(messages, spec: spec, model: model, modelFirst: aFirst) { request throws(AssayError) in
        switch await runtime.generate(request) {
        case .success(let response): return response.text
        case .failure(let failure):
          throw AssayError(.serverError, "the judge (\(model)) failed on item \(item.index): \(failure.message)",
            fix: "check the judge's server; run the same command again to judge the items left")
        }
      })
    }
    return JudgedPair(games: games.map(\.verdict), replies: games.flatMap(\.replies))
  }
}
