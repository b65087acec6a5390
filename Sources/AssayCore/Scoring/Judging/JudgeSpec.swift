/// How a `judge` suite's answers are graded by an LLM judge (`scorer.judge` in a suite file).
public struct JudgeSpec: Codable, Sendable, Equatable {
  /// `single`: FastChat's single-answer grading, a 1-10 rating per turn. `pairwise`: the answer against a baseline's,
  /// judged in both orders (Arena-Hard, AlpacaEval).
  public var mode: String
  /// `single`: FastChat's `judge_prompts.jsonl`, relative to the data root (`mt_bench/judge_prompts.jsonl`).
  public var prompts: String?
  /// `single`: the prompt for items without a reference answer (`single-v1`); later turns use `<name>-multi-turn`.
  public var prompt: String?
  /// `pairwise`: the judge's system message.
  public var system: String?
  /// `pairwise`: the judge's user message, filled like Python's `str.format`: `{question_1}` or `{instruction}`
  /// (the item's prompt), `{answer_1}` or `{output_1}` (shown first), `{answer_2}` or `{output_2}` (second).
  public var template: String?
  /// `pairwise`: how a verdict is read: `arena-hard` (`[[A>>B]]` ... `[[B>>A]]`, strong verdicts weigh 3) or
  /// `alpaca-eval` (`m`: the first output, `M`: the second).
  public var verdicts: String?
  /// `pairwise`: what the judge is told when its reply has no verdict (Arena-Hard continues the conversation);
  /// without it, the same request is sent again.
  public var followUp: String?
  /// `pairwise`: the baseline's answers, relative to the data root: JSON or JSONL rows with `messages` (the last
  /// one's content, or its `answer`), `output`, or FastChat's `choices[0].turns[0]`.
  public var baseline: String?
  /// `pairwise`: the field that joins a baseline row to an item (`uid`, `instruction`).
  public var baselineKey: String?
  /// Upstream of `baseline`.
  public var baselineURL: String?
  /// The prompt for items graded against a reference answer (`single-math-v1`).
  public var referencePrompt: String?
  /// The categories graded against a reference answer (MT-Bench: math, reasoning, coding).
  public var referenceCategories: [String]?
  /// Reference answers, FastChat's model-answer layout `{question_id, choices: [{turns}]}`, relative to the data root.
  public var references: String?
  /// The judge's token limit (FastChat: 2,048).
  public var maxTokens: Int?
  /// Where `assay data fetch` downloads `prompts` and `references` from.
  public var promptsURL: String?
  /// Upstream of `references`.
  public var referencesURL: String?

  enum CodingKeys: String, CodingKey {
    case mode, prompts, prompt, references
    case referencePrompt = "reference_prompt", referenceCategories = "reference_categories", maxTokens = "max_tokens"
    case promptsURL = "prompts_url", referencesURL = "references_url"
    case system, template, verdicts, followUp = "follow_up", baseline, baselineKey = "baseline_key", baselineURL = "baseline_url"
  }

  /// Every key a judge mapping may use.
  public static let knownKeys: Set<String> = [
    "mode", "prompts", "prompt", "reference_prompt", "reference_categories", "references", "max_tokens", "prompts_url",
    "references_url", "system", "template", "verdicts", "follow_up", "baseline", "baseline_key", "baseline_url",
  ]

  /// The judging modes Assay implements.
  public static let modes = ["single", "pairwise"]
  /// The pairwise verdict grammars.
  public static let verdictKinds = ["arena-hard", "alpaca-eval"]
}
