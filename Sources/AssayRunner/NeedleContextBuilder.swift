import AssayCore
import Foundation

/// Builds the contexts of needle tasks in the model's own tokens, before any item is sent: resolves the grid's
/// lengths for the model's window (refusing lengths that do not fit, naming the window), measures each item's
/// prompt without context (the chat template, instruction and question, as the server counts them), cuts the
/// haystack to the tokens left after the needles, hides the needles at the item's depth, and corrects the cut
/// until the whole prompt has the target length.
///
/// ```swift
/// let builder = NeedleContextBuilder(runtime: client, tokenizer: client, window: 8192, options: options)
/// let ready = try await builder.prepare(tasks)   // other tasks come back unchanged
/// ```
public struct NeedleContextBuilder: Sendable {
  /// Answers the prompt-length probes.
  public let runtime: any ModelRuntime
  /// Counts and cuts tokens.
  public let tokenizer: any TokenizingRuntime
  /// The model's context window in tokens (nil: unknown).
  public let window: Int?
  /// The run's options (model, prompt mode, max tokens).
  public let options: GenerationOptions
  /// Lengths that replace every needle suite's own (`--needle-lengths`).
  public let lengths: NeedleLengths?
  /// Depths that replace every needle suite's own (`--needle-depths`).
  public let depths: [Double]?
  /// Called after each item with (task id, done, total).
  public let progress: @Sendable (String, Int, Int) -> Void

  /// A builder over a runtime and its tokenizer.
  public init(
    runtime: any ModelRuntime, tokenizer: any TokenizingRuntime, window: Int?, options: GenerationOptions,
    lengths: NeedleLengths? = nil, depths: [Double]? = nil,
    progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }
  ) {
    self.lengths = lengths
    self.depths = depths
    self.runtime = runtime
    self.tokenizer = tokenizer
    self.window = window
    self.options = options
    self.progress = progress
  }

  /// Every task, with needle tasks' lengths resolved and contexts built.
  public func prepare(_ tasks: [EvalTask]) async throws(AssayError) -> [EvalTask] {
    // Every grid is checked against the window before anything is sent.
    var resolved: [(EvalTask, NeedleSpec, [Int])?] = []
    for task in tasks {
      guard task.suite.taskType == .needle, var spec = task.suite.needle else {
        resolved.append(nil)
        continue
      }
      if let lengths { spec.lengths = lengths }
      if let depths { spec.depths = depths }
      try spec.validate(suite: task.suite.id)
      let maxTokens = options.maxTokens ?? task.suite.solver.generate.maxTokens
      resolved.append((task, spec, try NeedleGrid.lengths(spec.lengths, window: window, maxTokens: maxTokens, task: task.id)))
    }
    var result: [EvalTask] = []
    for (index, task) in tasks.enumerated() {
      guard let (task, spec, lengths) = resolved[index] else {
        result.append(task)
        continue
      }
      result.append(try await build(task, spec: spec, lengths: lengths))
    }
    return result
  }

  private func build(_ task: EvalTask, spec: NeedleSpec, lengths: [Int]) async throws(AssayError) -> EvalTask {
    var spec = spec
    guard let material = task.needle else { return task }
    let params = task.variant.templateParameters
    let grid = NeedleGrid(spec: spec, lengths: lengths, seed: task.id)
    let joiner = try Template.renderParams(spec.joiner ?? " ", params: params)
    let separator = try Template.renderParams(spec.separator ?? "\n\n", params: params)
    // Enough haystack for the longest context: the text repeated, as Kamradt's test repeats its essays.
    var haystack = material.haystack
    var tokens = try await tokenizer.tokenize(haystack)
    let longest = lengths.max() ?? 0
    guard !tokens.isEmpty else {
      throw AssayError(.serverError, "\(task.id): the server tokenized the haystack to no tokens - while building the contexts",
        fix: "check that the server's /tokenize endpoint works (curl -d '{\"content\":\"hi\"}' BASE/tokenize)")
    }
    if tokens.count < longest {
      let copies = longest / tokens.count + 1
      haystack = Array(repeating: material.haystack, count: copies + 1).joined(separator: separator)
      tokens = try await tokenizer.tokenize(haystack)
    }
    var probeContext = try await tokenizer.detokenize(Array(tokens.prefix(32)))
    while probeContext.unicodeScalars.last == "\u{FFFD}" { probeContext.unicodeScalars.removeLast() }
    let probeTokens = try await tokenizer.tokenize(probeContext).count
    var samples: [Sample] = []
    var overheads: [String: Int] = [:]
    for (index, item) in grid.items.enumerated() {
      // The prompt around the context, measured with a short piece of haystack in its place so that the tokens
      // where the context meets the instruction and the question are counted as they will be.
      let probe = try NeedlePlacement.sample(index: index, item: item, spec: spec, params: params, context: probeContext)
      let question = probe.fields["question"] ?? ""
      let overhead: Int
      if let known = overheads[question] {
        overhead = known
      } else {
        overhead = try await promptTokens(task: task, sample: probe) - probeTokens
        overheads[question] = overhead
      }
      let sentences = try item.needles.map { (needle) throws(AssayError) -> String in
        try NeedlePlacement.sentence(needle, spec: spec, params: params)
      }
      let context = try await fit(
        target: item.length - overhead, haystack: tokens, needles: sentences, depths: item.needles.map(\.depth),
        joiner: joiner, task: task, item: item, overhead: overhead)
      samples.append(try NeedlePlacement.sample(index: index, item: item, spec: spec, params: params, context: context))
      progress(task.id, index + 1, grid.items.count)
    }
    spec.lengths = .list(lengths)
    var suite = task.suite
    suite.needle = spec
    let settings = NeedleSettings(window: window, lengths: lengths, depths: spec.depths, needles: spec.needles, asked: spec.asked)
    return try task.replacing(suite: suite, samples: samples, needle: NeedleMaterial(haystack: material.haystack, settings: settings))
  }

  /// The server's count of an item's prompt without context (one token generated).
  private func promptTokens(task: EvalTask, sample: Sample) async throws(AssayError) -> Int {
    var request = try task.request(for: sample, options: options)
    request.maxTokens = 1
    request.temperature = 0
    switch await runtime.generate(request) {
    case .failure(let failure):
      throw AssayError(.serverError, "\(task.id): measuring the prompt without context failed: \(failure.message) - while building the contexts",
        fix: "check the server; the needle contexts are sized from its own count of the prompt")
    case .success(let response):
      guard let count = response.promptTokens, count > 0 else {
        throw AssayError(.serverError, "\(task.id): the server did not report usage.prompt_tokens - while building the contexts",
          fix: "use a server that reports token usage (llama.cpp, vLLM, Assay's --runtime llama.cpp)")
      }
      return count
    }
  }

  /// A context of `target` tokens with the needles hidden: the haystack's first tokens, cut again until the
  /// context with its needles counts `target` (or the cut stops changing).
  private func fit(
    target: Int, haystack: [Int], needles: [String], depths: [Double], joiner: String, task: EvalTask,
    item: NeedleGrid.Item, overhead: Int
  ) async throws(AssayError) -> String {
    var needleTokens = 0
    for sentence in needles { needleTokens += try await tokenizer.tokenize(joiner + sentence + joiner).count }
    var budget = target - needleTokens
    guard budget > 0 else {
      throw AssayError(.invalidArgument,
        "\(task.id): a context of \(item.length) tokens leaves no room for the haystack: the prompt without it takes \(overhead) tokens and the needles \(needleTokens)",
        fix: "use longer --needle-lengths (at least \(overhead + needleTokens + 64))")
    }
    var context = ""
    var tried: Set<Int> = []
    for _ in 0..<4 {
      budget = min(max(1, budget), haystack.count)
      guard tried.insert(budget).inserted else { break }
      var cut = try await tokenizer.detokenize(Array(haystack.prefix(budget)))
      // A cut inside a multi-byte character decodes to U+FFFD: drop it.
      while cut.unicodeScalars.last == "\u{FFFD}" { cut.unicodeScalars.removeLast() }
      context = NeedlePlacement.insert(needles, depths: depths, into: cut, joiner: joiner)
      let count = try await tokenizer.tokenize(context).count
      if count == target { break }
      budget += target - count
    }
    return context
  }
}
