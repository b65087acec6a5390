/// How a `judge` suite's answers are graded by an LLM judge (`scorer.judge` in a suite file).
public struct JudgeSpec: Codable, Sendable, Equatable {
  /// `single`: FastChat's single-answer grading, a 1-10 rating per turn.
  public var mode: String
  /// FastChat's `judge_prompts.jsonl`, relative to the data root (`mt_bench/judge_prompts.jsonl`).
  public var prompts: String
  /// The prompt for items without a reference answer (`single-v1`); turn 2 and later use `<name>-multi-turn`.
  public var prompt: String
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
  }

  /// Every key a judge mapping may use.
  public static let knownKeys: Set<String> = [
    "mode", "prompts", "prompt", "reference_prompt", "reference_categories", "references", "max_tokens", "prompts_url",
    "references_url",
  ]

  /// The judging modes Assay implements.
  public static let modes = ["single"]
}
