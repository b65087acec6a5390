import AssayCore

extension RunCommand {
  /// Refuses numeric flags that are NaN, infinite or out of range before anything is opened or sent: such a value
  /// would make the configuration unencodable (every such run sharing one hash), go out as a request no server
  /// takes, or overflow converting seconds to nanoseconds (which traps and leaves the run "running").
  func checkLimits() throws(AssayError) {
    var problems: [String] = []
    func add(_ problem: String?) { if let problem { problems.append(problem) } }
    add(GenerationLimits.problem(count: concurrency, in: GenerationLimits.concurrency, name: "--concurrency"))
    if let maxConcurrency {
      add(GenerationLimits.problem(count: maxConcurrency, in: GenerationLimits.concurrency, name: "--max-concurrency"))
    }
    if let maxTokens { add(GenerationLimits.problem(maxTokens: maxTokens, name: "--max-tokens")) }
    if let judgeMaxTokens { add(GenerationLimits.problem(maxTokens: judgeMaxTokens, name: "--judge-max-tokens")) }
    if let temperature { add(GenerationLimits.problem(temperature: temperature, name: "--temperature")) }
    if let topP { add(GenerationLimits.problem(topP: topP, name: "--top-p")) }
    add(GenerationLimits.problem(count: maxRetries, in: GenerationLimits.retries, name: "--max-retries"))
    add(GenerationLimits.problem(requestTimeout, in: GenerationLimits.seconds, name: "--request-timeout", positive: true))
    add(GenerationLimits.problem(startupTimeout, in: GenerationLimits.seconds, name: "--startup-timeout", positive: true))
    add(GenerationLimits.problem(retryBaseDelay, in: 0...3600, name: "--retry-base-delay"))
    if let promptsPerRequest { add(GenerationLimits.problem(count: promptsPerRequest, in: 1...1024, name: "--prompts-per-request")) }
    if let numFewshot { add(GenerationLimits.problem(count: numFewshot, in: 0...10_000, name: "--num-fewshot")) }
    add(GenerationLimits.problem(count: contextSize, in: 0...(1 << 24), name: "--ctx-size"))
    add(GenerationLimits.problem(count: tensorParallel, in: 1...1024, name: "--tensor-parallel"))
    if let execWorkers { add(GenerationLimits.problem(count: execWorkers, in: 1...1024, name: "--exec-workers")) }
    guard problems.isEmpty else {
      throw AssayError(
        .invalidArgument, problems.joined(separator: "; ") + " (nothing was run or stored)",
        fix: "pass finite numbers within those bounds (`assay run --help` describes each flag)")
    }
  }
}
