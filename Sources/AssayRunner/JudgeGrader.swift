import AssayCore
import Logging

/// Grades `judge` items with an LLM judge through any runtime, as FastChat's single-answer grading does: each
/// turn's answer gets a 1-10 rating (turn 1 with the single prompt, later turns with the multi-turn prompt and the
/// whole conversation; math, reasoning and coding against the reference answer). Judge requests go through the
/// response cache like any other request. A reply with no rating is asked once more, then recorded as
/// unparseable: it has no rating and weighs nothing in the means (never a 0). A judge that cannot be reached leaves
/// the item unscored (`Grade.unscored`), to be graded again by the next run of the same command.
public struct JudgeGrader: ResponseGrader {
  /// The judge's runtime.
  public let judge: any ModelRuntime
  /// The judge's served model name.
  public let model: String
  /// Where judge replies are cached.
  public let store: any ResultStore
  /// A cap on the judge's generated tokens below the suite's (`--judge-max-tokens`); nil keeps the suite's.
  public let maxTokensCap: Int?
  private let logger: Logger

  /// A grader asking `model` on `judge`, caching in `store`.
  public init(judge: any ModelRuntime, model: String, store: any ResultStore, logger: Logger, maxTokensCap: Int? = nil) {
    self.judge = judge
    self.model = model
    self.store = store
    self.logger = logger
    self.maxTokensCap = maxTokensCap
  }

  /// The judge's token budget: the suite's (or `fallback`), capped by `maxTokensCap`.
  func budget(_ suite: Int?, fallback: Int) -> Int { min(suite ?? fallback, maxTokensCap ?? Int.max) }

  /// One turn's judgment: the judge prompt used, every reply, and the rating read from the last one.
  public struct Judgment: Sendable, Equatable {
    /// The judge prompt's name.
    public var prompt: String
    /// The replies (two when the first had no rating).
    public var replies: [String]
    /// The rating, or unparseable.
    public var rating: JudgeRating
  }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
    if task.suite.scorer.judge?.mode == "pairwise" {
      return await gradePairwise(task: task, sample: sample, response: response.storedText)
    }
    let answers = response.replies
    var judgments: [Judgment] = []
    var failure: String?
    for turn in answers.indices {
      do {
        judgments.append(try await judgeTurn(turn, answers: answers, task: task, sample: sample))
      } catch {
        failure = "turn \(turn + 1): \(error.message)"
        break
      }
    }
    return Self.score(judgments, failure: failure, primary: task.scorer.primary, metrics: task.scorer.pipelineNames)
  }

  /// The stored score: `rating` is the mean of the parsed ratings, weighted by how many there are (so reports
  /// average over judgments, clustered by question); `turn_N` each turn's; `unparseable` the count without one.
  /// With a `failure` (the judge could not be reached) the item is unscored, its reason the judgments so far.
  public static func score(_ judgments: [Judgment], failure: String?, primary: String, metrics: [String] = []) -> Grade {
    var values: [String: Double] = [:]
    var weights: [String: Double] = [:]
    // Turns this item does not have weigh nothing (Vicuna-Bench's single turn in a two-turn suite).
    for name in metrics where name.hasPrefix("turn_") {
      values[name] = 0
      weights[name] = 0
    }
    var answers: [String: String] = [:]
    var correct: [String: Bool] = [:]
    let ratings = judgments.compactMap { judgment -> Double? in
      if case .rating(let value) = judgment.rating { return value }
      return nil
    }
    values["rating"] = ratings.isEmpty ? 0 : ratings.reduce(0, +) / Double(ratings.count)
    weights["rating"] = Double(ratings.count)
    if !ratings.isEmpty { answers["rating"] = format(values["rating"]!) }
    correct["rating"] = !ratings.isEmpty
    for (index, judgment) in judgments.enumerated() {
      let name = "turn_\(index + 1)"
      if case .rating(let value) = judgment.rating {
        values[name] = value
        weights[name] = 1
        answers[name] = format(value)
        correct[name] = true
      } else {
        values[name] = 0
        weights[name] = 0
        correct[name] = false
      }
    }
    let unparseable = judgments.filter { $0.rating == .unparseable }.count
    values["unparseable"] = Double(unparseable)
    weights["judgments"] = Double(judgments.count)
    var lines = judgments.enumerated().map { index, judgment in
      let verdict = judgment.rating == .unparseable ? "unparseable (asked twice)" : "rating \(answers["turn_\(index + 1)"] ?? "")"
      return "turn \(index + 1), judge prompt \(judgment.prompt): \(verdict)\n" + judgment.replies.map { "judge: \($0)" }.joined(separator: "\n")
    }
    if let failure {
      lines.append("judge request failed: \(failure)")
      return .unscored(reason: lines.joined(separator: "\n"), retryable: true)
    }
    return .scored(SampleScore(
      answers: answers, correct: correct, primary: primary, explanation: lines.joined(separator: "\n"), values: values,
      weights: weights))
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }

  /// The judge's messages for one turn, with the prompt's name.
  public static func messages(
    turn: Int, answers: [String], task: EvalTask, sample: Sample
  ) throws(AssayError) -> (name: String, messages: [ChatMessage]) {
    guard let spec = task.suite.scorer.judge, let material = task.judge else {
      throw AssayError(.invalidSuite, "\(task.id) has no scorer.judge", fix: "add scorer.judge to the suite file")
    }
    let questionID = sample.fields["question_id"] ?? String(sample.index)
    let category = sample.fields["category"] ?? ""
    let reference = material.references[questionID]
    let useReference = (spec.referenceCategories ?? []).contains(category) && reference != nil && spec.referencePrompt != nil
    let base = useReference ? spec.referencePrompt! : spec.prompt ?? ""
    let name = turn == 0 ? base : base + "-multi-turn"
    guard let prompt = material.prompts[name] else {
      throw AssayError(.invalidSuite, "\(task.id): the judge prompt \(name) is not in \(spec.prompts ?? "the judge prompts")",
        fix: "name a prompt that \(spec.prompts ?? "the prompts file") has")
    }
    let questions = task.userTurns(for: sample)
    var fields: [String: String] = [:]
    if turn == 0 {
      fields["question"] = questions.first ?? ""
      fields["answer"] = answers[0]
      if let reference, useReference { fields["ref_answer_1"] = reference.first ?? "" }
    } else {
      for index in 0...turn {
        fields["question_\(index + 1)"] = index < questions.count ? questions[index] : ""
        fields["answer_\(index + 1)"] = answers[index]
        if let reference, useReference { fields["ref_answer_\(index + 1)"] = index < reference.count ? reference[index] : "" }
      }
    }
    return (name, [
      ChatMessage(role: "system", content: prompt.systemPrompt), ChatMessage(role: "user", content: try prompt.render(fields)),
    ])
  }

  private func judgeTurn(_ turn: Int, answers: [String], task: EvalTask, sample: Sample) async throws(AssayError) -> Judgment {
    let (name, messages) = try Self.messages(turn: turn, answers: answers, task: task, sample: sample)
    var replies: [String] = []
    // FastChat's judge settings: greedy, 2,048 tokens. The second ask differs in its seed, so it is its own cache entry.
    for attempt in 0..<2 {
      var request = ModelRequest(
        model: model, prompt: .chat(messages), maxTokens: budget(task.suite.scorer.judge?.maxTokens, fallback: 2048),
        temperature: 0)
      if attempt > 0 { request.seed = attempt }
      let reply = try await ask(request)
      replies.append(reply)
      let rating = JudgeRating.parse(reply)
      if rating != .unparseable { return Judgment(prompt: name, replies: replies, rating: rating) }
      logger.info("judge reply without a rating", metadata: ["task": "\(task.id)", "sample": "\(sample.index)", "attempt": "\(attempt + 1)"])
    }
    return Judgment(prompt: name, replies: replies, rating: .unparseable)
  }

  /// One game of a pairwise judgment: which side the model was on, every reply, and the verdict.
  public struct Game: Sendable, Equatable {
    /// Whether the judged model's answer was shown first (A, output_1).
    public var modelFirst: Bool
    /// The judge's replies (two when the first had no verdict).
    public var replies: [String]
    /// The verdict from the model's side.
    public var verdict: PairwiseVerdict
  }

  /// Arena-Hard and AlpacaEval: the answer against the baseline's, judged twice with the two swapped (game 1 shows
  /// the baseline first, as Arena-Hard does). `win_rate` is the weighted share of games won (ties half), weighted
  /// by the games' weights so reports take the ratio of sums over all games, clustered by question.
  func gradePairwise(task: EvalTask, sample: Sample, response: String) async -> Grade {
    guard let spec = task.suite.scorer.judge, let key = spec.baselineKey, spec.template != nil,
      let joined = sample.fields[key], let baseline = task.judge?.baselines[joined]
    else {
      // Asking again does not help; the item is still left unscored (stored as failed), not counted as a loss.
      return .unscored(reason: "judge request failed: the baseline has no answer for this item", retryable: false)
    }
    let question = task.userTurns(for: sample).first ?? joined
    var games: [Game] = []
    var failure: String?
    for modelFirst in [false, true] {
      do {
        let messages = try PairwiseGame.messages(
          spec: spec, question: question, first: modelFirst ? response : baseline, second: modelFirst ? baseline : response)
        var played = spec
        played.maxTokens = budget(spec.maxTokens, fallback: PairwiseGame.defaultMaxTokens)
        games.append(try await PairwiseGame.play(messages, spec: played, model: model, modelFirst: modelFirst, ask: ask))
      } catch {
        failure = error.message
        break
      }
    }
    return Self.pairwiseScore(games, failure: failure, primary: task.scorer.primary)
  }

  /// The stored score of a pairwise item: `win_rate` over its parsed games (weighted), `unparseable` the rest; with
  /// a `failure` the item is unscored, its reason the games so far.
  public static func pairwiseScore(_ games: [Game], failure: String?, primary: String) -> Grade {
    var won = 0.0
    var weight = 0.0
    var labels: [String] = []
    var lines: [String] = []
    for (index, game) in games.enumerated() {
      let side = game.modelFirst ? "model first (A)" : "baseline first, model second (B)"
      switch game.verdict {
      case .verdict(let score, let gameWeight, let label):
        won += score * gameWeight
        weight += gameWeight
        labels.append(label)
        lines.append("game \(index + 1), \(side): \(label) (model scores \(score), weight \(format(gameWeight)))")
      case .unparseable, .missing:
        lines.append("game \(index + 1), \(side): unparseable (asked twice)")
      }
      lines += game.replies.map { "judge: \($0)" }
    }
    let unparseable = games.filter { if case .verdict = $0.verdict { return false } else { return true } }.count
    if let failure {
      lines.append("judge request failed: \(failure)")
      return .unscored(reason: lines.joined(separator: "\n"), retryable: true)
    }
    return .scored(SampleScore(
      answers: weight > 0 ? ["win_rate": labels.joined(separator: " ")] : [:], correct: ["win_rate": weight > 0 && won / weight > 0.5],
      primary: primary, explanation: lines.joined(separator: "\n"),
      values: ["win_rate": weight > 0 ? won / weight : 0, "unparseable": Double(unparseable)],
      weights: ["win_rate": weight, "judgments": Double(games.count)]))
  }

  private func ask(_ request: ModelRequest) async throws(AssayError) -> String {
    switch await JudgeCache.ask(request, on: judge, store: store, tag: "judge", logger: logger) {
    case .success(let response): return response.text
    case .failure(let failure):
      throw AssayError(.serverError, "the judge (\(model)) failed: \(failure.message)",
        fix: "check --judge-base-url and --judge-model; rerun the same command to retry")
    }
  }
}
