import AssayCore
import AssayRunner
import AssayRuntime
import AssayStore
import Foundation
import Logging

extension RunCommand {
  /// Checks a run's safety suites before anything is sent: harmful prompts need a guard, and every safety suite's
  /// content warning is printed.
  func checkSafety(_ tasks: [EvalTask]) throws(AssayError) {
    let safety = tasks.filter { $0.suite.taskType == .safety }
    var warned = Set<String>()
    for task in safety where warned.insert(task.suite.id).inserted {
      if let warning = task.suite.warning { Output.error("content warning (\(task.suite.id)): \(warning)\n") }
    }
    if guardOptions.guardModel != nil, !safety.contains(where: { $0.suite.scorer.safety?.prompts == .harmful }) {
      Output.error("note: --guard-model judges the answers of safety suites with harmful prompts; none runs here, so no guard is asked\n")
    }
    if let harmful = safety.first(where: { $0.suite.scorer.safety?.prompts == .harmful }), guardOptions.guardModel == nil {
      throw AssayError(.invalidArgument, "\(harmful.id) has harmful prompts, judged by a guard model, and no guard was named",
        fix: "pass --guard-model NAME (Llama Guard 3; with --guard-base-url URL when it is served elsewhere); --guard-model \(model) makes the model its own guard")
    }
  }

  /// Runs `body` with the grader of the run's safety suites (nil when there are none): the guard on its own client
  /// (its own server with --guard-base-url, else the model's, with its own connection pool), and the run's judge as
  /// the LLM refusal classifier when one was named.
  func withGuard<T: Sendable>(
    tasks: [EvalTask], baseURL: String, apiKey: String?, modelName: String, store: any ResultStore, judge: JudgeGrader?,
    logger: Logger, _ body: @Sendable (GuardGrader?) async throws -> T
  ) async throws -> T {
    guard tasks.contains(where: { $0.suite.taskType == .safety }) else { return try await body(nil) }
    let classifier = judge.map { GuardGrader.Model(runtime: $0.judge, name: $0.model) }
    let format = guardOptions.guardFormat
    let mode = guardOptions.guardRequest
    guard let guardModel = guardOptions.guardModel else {
      return try await body(GuardGrader(guardModel: nil, format: format, mode: mode, refusalJudge: classifier, store: store, logger: logger))
    }
    let name = guardModel == model ? modelName : guardModel
    let url = guardOptions.guardBaseURL ?? baseURL
    let key = guardOptions.guardBaseURL == nil ? apiKey : (guardOptions.guardAPIKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"])
    return try await OpenAIClient.withClient(
      baseURL: url, apiKey: key, timeout: requestTimeout, retry: RetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay),
      maxConnections: concurrency, logger: logger, followRedirects: followRedirects
    ) { guardClient in
      let info: ServerInfo
      do {
        info = try await guardClient.probe(model: name)
      } catch let error as AssayError {
        // The probe's own words name --model and --base-url; here they are the guard's.
        throw AssayError(
          error.code, "the guard: " + error.message.replacingOccurrences(of: "(from --model)", with: "(from --guard-model)"),
          fix: guardOptions.guardBaseURL == nil
            ? "pass --guard-model with a model this server serves, or --guard-base-url URL where the guard is served"
            : "start the guard's server, or correct --guard-base-url and --guard-model")
      }
      let guardStore = guardOptions.guardBaseURL == nil ? store : try judgeStore(judgeBaseURL: url, info: info, runStore: store)
      return try await body(GuardGrader(
        guardModel: GuardGrader.Model(runtime: guardClient, name: name), format: format, mode: mode, refusalJudge: classifier,
        store: guardStore, logger: logger))
    }
  }
}
