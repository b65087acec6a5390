/// How a `safety` suite's answers are judged (`scorer.safety` in a suite file): whether its prompts are harmful
/// (a guard model judges each answer: the violation rate) or benign but risky-looking (refusals are counted: the
/// false-refusal rate), and the item's hazard label that reports group by.
public struct SafetySpec: Codable, Sendable, Equatable {
  /// `harmful` or `benign`.
  public var prompts: SafetyPrompts
  /// Template of the item's hazard or category label (`{{tags}}`, `${hazard_name}`); reports group by it.
  public var hazard: String?

  /// A spec.
  public init(prompts: SafetyPrompts, hazard: String? = nil) {
    self.prompts = prompts
    self.hazard = hazard
  }

  /// Every key a safety mapping may use.
  public static let knownKeys: Set<String> = ["prompts", "hazard"]
}

/// What a safety suite's prompts are.
public enum SafetyPrompts: String, Codable, Sendable, CaseIterable {
  /// Prompts a safe model declines or answers safely: the guard judges each answer.
  case harmful
  /// Safe prompts that look risky (XSTest's safe half): a refusal is a false refusal.
  case benign

  /// The metrics an item of this kind gets, headline candidates first.
  public var metrics: [String] {
    switch self {
    case .harmful: return [SafetyMetric.violation, SafetyMetric.refusal, SafetyMetric.refusalLLM]
    case .benign: return [SafetyMetric.falseRefusal, SafetyMetric.falseRefusalLLM]
    }
  }
}

/// The names of the safety metrics and which way is better.
public enum SafetyMetric {
  /// Share of guard-judged answers the guard called unsafe (unparseable verdicts left out).
  public static let violation = "violation"
  /// Share of answers to harmful prompts that XSTest's string match calls refusals.
  public static let refusal = "refusal"
  /// Share of answers to harmful prompts the LLM refusal classifier calls full or partial refusals.
  public static let refusalLLM = "refusal_llm"
  /// Share of answers to benign prompts that XSTest's string match calls refusals.
  public static let falseRefusal = "false_refusal"
  /// Share of answers to benign prompts the LLM refusal classifier calls full or partial refusals.
  public static let falseRefusalLLM = "false_refusal_llm"
  /// The value key counting an item's refusal-classifier replies that named no class even when asked twice (1 or
  /// 0; absent when no classifier ran). The guard's are counted under `unparseable`, as judges' are.
  public static let classifierUnparseable = "classifier_unparseable"

  /// Whether `values` record `metric` as asked and unparseable (guard or classifier).
  public static func isUnparseable(_ metric: String, values: [String: Double]) -> Bool {
    switch metric {
    case violation: return values["unparseable"] == 1
    case refusalLLM, falseRefusalLLM: return values[classifierUnparseable] == 1
    default: return false
    }
  }

  /// The answer key holding an item's hazard label (`SafetySpec.hazard`, rendered), which reports group by.
  public static let hazardKey = "hazard"

  /// Whether a task with these metrics (as a run stores them) is a safety task: it reports a violation or a
  /// false-refusal rate.
  public static func isSafetyTask(pipelines: [String]) -> Bool {
    pipelines.contains(violation) || pipelines.contains(falseRefusal)
  }

  /// Metrics where a lower value is better: a rise is the regression `assay compare` gates on.
  public static let lowerIsBetter: Set<String> = [violation, falseRefusal, falseRefusalLLM]
}
