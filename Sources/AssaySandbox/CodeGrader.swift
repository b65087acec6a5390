import AssayCore
import Synchronization

/// Scores `code` items for `assay run`: takes the code out of each completion, runs it against the item's tests in
/// the sandbox, and stores pass@k for every k up to the number of completions. A problem's time limit comes from
/// its canonical solution, measured once per run.
public final class CodeGrader: ResponseGrader {
  /// The checker that runs the programs.
  public let checker: CodeChecker
  private let limits = Mutex<[String: Double]>([:])

  /// A grader over a checker.
  public init(checker: CodeChecker) {
    self.checker = checker
  }

  /// The problem an item of a code task stands for, or nil when the suite names an unknown harness or language.
  public static func problem(task: EvalTask, sample: Sample) -> CodeProblem? {
    guard let execution = task.scorer.execution, let language = CodeLanguage(name: execution.language),
      let harness = CodeProblem.Harness(rawValue: execution.harness)
    else { return nil }
    let id = sample.fields["task_id"] ?? sample.fields["id"] ?? "\(task.id)#\(sample.index)"
    return CodeProblem(id: id, language: language, harness: harness, fields: sample.fields)
  }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
    guard let execution = task.scorer.execution, let problem = Self.problem(task: task, sample: sample) else {
      return .scored(SampleScore(
        answers: [:], correct: [task.scorer.primary: false], primary: task.scorer.primary,
        explanation: "sandbox error: unknown harness or language in the suite's scorer.execute"))
    }
    let limit = await timeLimit(problem, key: "\(task.id)#\(sample.index)")
    let replies = response.replies
    let verdicts = await withTaskGroup(of: (Int, ExecutionVerdict).self) { group in
      for (index, reply) in replies.enumerated() {
        group.addTask {
          (index, await self.checker.check(problem, completion: execution.code(from: reply), timeLimit: limit))
        }
      }
      var verdicts = [ExecutionVerdict](repeating: ExecutionVerdict(.sandboxError), count: replies.count)
      for await (index, verdict) in group { verdicts[index] = verdict }
      return verdicts
    }
    var score = Self.score(verdicts, samples: execution.samples, primary: task.scorer.primary)
    let isolation = checker.sandbox.isolation
    if !(isolation.filesystem && isolation.network && isolation.pidNamespace) {
      score.explanation += "; sandbox: \(isolation.summary)"  // weaker isolation is said with every result
    }
    return .scored(score)
  }

  /// pass@k for k = 1...samples from the verdicts of one item (with fewer completions than samples, as after an
  /// edited suite, the estimator covers k <= n only and larger k count as 0).
  public static func score(_ verdicts: [ExecutionVerdict], samples: Int, primary: String) -> SampleScore {
    let n = verdicts.count
    let c = verdicts.filter(\.passed).count
    var values: [String: Double] = [:]
    var correct: [String: Bool] = [:]
    for k in 1...max(1, samples) {
      let value = PassAtK.estimate(n: n, c: c, k: k) ?? 0
      values[PassAtK.name(k)] = value
      correct[PassAtK.name(k)] = value == 1
    }
    let kinds = verdicts.map(\.kind.rawValue).joined(separator: " ")
    var explanation = "\(c) of \(n) passed"
    if let failure = verdicts.first(where: { !$0.passed }) {
      explanation += "; first failure: \(failure.kind.rawValue)" + (failure.detail.isEmpty ? "" : ": \(failure.detail.prefix(200))")
    }
    // The verdicts stand as every metric's "answer" (reports count a missing answer as a failed extraction).
    return SampleScore(
      answers: values.mapValues { _ in kinds }, correct: correct, primary: primary, explanation: explanation,
      values: values)
  }

  private func timeLimit(_ problem: CodeProblem, key: String) async -> Double {
    if let known = limits.withLock({ $0[key] }) { return known }
    let canonical = await checker.checkCanonical(problem)
    let limit = checker.timeLimit(canonicalSeconds: canonical?.passed == true ? canonical?.seconds : nil)
    limits.withLock { $0[key] = limit }
    return limit
  }
}
