/// What a judge suite's grader reads besides the items: its judge prompts by name and the reference answers by
/// question id (one per turn).
public struct JudgeMaterial: Sendable, Equatable {
  /// Judge prompts by name (`single-v1`, `single-math-v1-multi-turn` ...).
  public var prompts: [String: JudgePrompt]
  /// Reference answers by question id, one per turn.
  public var references: [String: [String]]

  /// Material from its parts.
  public init(prompts: [String: JudgePrompt], references: [String: [String]]) {
    self.prompts = prompts
    self.references = references
  }
}
