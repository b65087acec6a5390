/// What a judge suite's grader reads besides the items: its judge prompts by name and the reference answers by
/// question id (one per turn).
public struct JudgeMaterial: Sendable, Equatable {
  /// Judge prompts by name (`single-v1`, `single-math-v1-multi-turn` ...).
  public var prompts: [String: JudgePrompt]
  /// Reference answers by question id, one per turn.
  public var references: [String: [String]]
  /// Pairwise: the baseline's answer by join key.
  public var baselines: [String: String]

  /// Material from its parts.
  public init(prompts: [String: JudgePrompt], references: [String: [String]], baselines: [String: String] = [:]) {
    self.prompts = prompts
    self.references = references
    self.baselines = baselines
  }
}
