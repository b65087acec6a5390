import Foundation

/// One runnable unit: a suite's variant with its samples loaded and its scorer compiled.
public struct EvalTask: Sendable {
  /// The suite definition.
  public let suite: SuiteDefinition
  /// The variant.
  public let variant: VariantSpec
  /// The samples, in file order.
  public let samples: [Sample]
  /// The compiled scorer.
  public let scorer: Scorer
  /// Content hash of the suite definition and variant (prompts and scorer); changes whenever either changes.
  public let contentHash: String
  /// sha256 of each data file used, keyed by path.
  public let datasetSHA256: [String: String]
  /// Few-shot exemplars (inline, or the first rows of a file), as fields.
  public let exemplars: [[String: String]]
  /// For exemplars taken from the evaluated file itself: each one's row (`Sample.index`), so that an item never
  /// sees itself as an exemplar; nil otherwise. One more row than the shots is loaded to stand in for it.
  public let exemplarRows: [Int]?
  /// Exemplars per prompt (before `--num-fewshot`): all of them, or one fewer when one stands in for the item.
  public var shotCount: Int { exemplarRows == nil ? exemplars.count : max(0, exemplars.count - 1) }
  /// Text placed verbatim before the question (a few-shot prompt file).
  public let preamble: String?

  /// Judge prompts and reference answers (`judge` suites).
  public let judge: JudgeMaterial?
  /// `needle` suites: the haystack text (every row's text once, in file order) and the resolved grid, when the
  /// lengths are known (after the model's window is).
  public let needle: NeedleMaterial?

  /// `suite/variant`, e.g. `mgsm/de`.
  public var id: String { "\(suite.id)/\(variant.id)" }

  /// A task for a variant; compiles the scorer and checks every template renders.
  public init(
    suite: SuiteDefinition, variant: VariantSpec, samples: [Sample], datasetSHA256: [String: String],
    exemplars: [[String: String]]? = nil, preamble: String? = nil, judge: JudgeMaterial? = nil,
    exemplarRows: [Int]? = nil, needle: NeedleMaterial? = nil
  ) throws(AssayError) {
    self.judge = judge
    self.needle = needle
    self.exemplarRows = exemplarRows
    self.suite = suite
    self.variant = variant
    self.samples = samples
    self.datasetSHA256 = datasetSHA256
    self.exemplars = exemplars ?? suite.solver.fewshot?.examples ?? []
    self.preamble = preamble
    self.scorer = try Scorer(
      spec: suite.scorer, params: variant.templateParameters, taskType: suite.taskType,
      samples: suite.solver.generate.samples ?? 1, turns: suite.solver.turns != nil)
    self.contentHash = try Self.contentHash(suite: suite, variant: variant)
  }

  /// The content hash of a suite's definition and one variant.
  public static func contentHash(suite: SuiteDefinition, variant: VariantSpec) throws(AssayError) -> String {
    var hasher = SHA256()
    hasher.update(try CanonicalJSON.hashable(suite, what: "suite \(suite.id)"))
    hasher.update([0])
    hasher.update(try CanonicalJSON.hashable(variant, what: "variant \(suite.id)/\(variant.id)"))
    return hasher.finalizeHex()
  }

  /// The prompt mode a run uses for this task: log-likelihood always needs raw completion text.
  public func promptMode(_ options: GenerationOptions) -> PromptMode {
    suite.taskType == .rankChoices ? .completion : options.mode ?? suite.solver.mode ?? .chat
  }

  /// The settings a run of this task used, as recorded with the run (for reports and reference comparisons).
  public func settings(options: GenerationOptions, limit: Int?) -> TaskSettings {
    let ranked = suite.taskType == .rankChoices
    let shots = self.shots(options)
    return TaskSettings(
      shots: shots, chainOfThought: suite.chainOfThought,
      maxTokens: ranked ? 0 : options.maxTokens ?? suite.solver.generate.maxTokens,
      temperature: ranked ? 0 : options.temperature ?? suite.solver.generate.temperature,
      promptMode: promptMode(options).rawValue,
      samples: min(limit ?? samples.count, samples.count), datasetSize: samples.count, metric: scorer.primary,
      family: suite.family,
      fewshotStyle: shots == 0 ? nil
        : promptMode(options) == .completion ? FewShotStyle.text.rawValue
        : (options.fewshotStyle ?? suite.solver.fewshot?.style ?? .text).rawValue,
      systemPrompt: promptMode(options) == .chat ? options.systemPrompt ?? suite.solver.system : nil,
      fewshotFromEvaluatedFile: exemplarRows != nil && shots > 0 ? true : nil, needle: needle?.settings)
  }

  /// The same task with another definition and samples (a needle task once its lengths are resolved and its
  /// contexts built: the resolved lengths enter the content hash, and so the run's identity).
  public func replacing(suite: SuiteDefinition, samples: [Sample], needle: NeedleMaterial?) throws(AssayError) -> EvalTask {
    try EvalTask(
      suite: suite, variant: variant, samples: samples, datasetSHA256: datasetSHA256, exemplars: exemplars,
      preamble: preamble, judge: judge, exemplarRows: exemplarRows, needle: needle)
  }

  private var params: [String: String] { variant.templateParameters }

  private func render(_ template: String, _ fields: [String: String]) throws(AssayError) -> String {
    try Template.render(template, params: params, fields: fields)
  }

  /// One exemplar as (question part, answer part); a whole-exemplar `template` has an empty answer part.
  private func exemplarParts(_ fields: [String: String]) throws(AssayError) -> (String, String) {
    guard let fewshot = suite.solver.fewshot else { return ("", "") }
    if let template = fewshot.template, fewshot.answer == nil { return (try render(template, fields), "") }
    let question = try render(fewshot.prompt ?? suite.solver.prompt.template, fields)
    return (question, try render(fewshot.answer ?? "", fields))
  }

  /// The exemplars a run uses for one item (`--num-fewshot` keeps the first N): when they come from the evaluated
  /// file, the item's own row is left out and the next row takes its place.
  private func exemplars(_ options: GenerationOptions, excluding row: Int? = nil) -> [[String: String]] {
    let limit = options.numFewshot.map { min($0, shotCount) } ?? shotCount
    guard let rows = exemplarRows, let row else { return Array(exemplars.prefix(limit)) }
    return Array(zip(exemplars, rows).filter { $0.1 != row }.map(\.0).prefix(limit))
  }

  /// The few-shot prompt file a run uses (`--num-fewshot 0` drops it).
  private func preamble(_ options: GenerationOptions) -> String? {
    options.numFewshot == 0 ? nil : preamble
  }

  /// Exemplars in a run's prompts.
  public func shots(_ options: GenerationOptions) -> Int {
    exemplars(options).count + (preamble(options) != nil ? suite.solver.fewshot?.count ?? 0 : 0)
  }

  /// The exemplars and preamble as one text block, or nil when there are none.
  private func fewshotText(_ options: GenerationOptions, excluding row: Int?) throws(AssayError) -> String? {
    var parts: [String] = []
    if let preamble = preamble(options) { parts.append(preamble) }
    for example in exemplars(options, excluding: row) {
      let (question, answer) = try exemplarParts(example)
      parts.append(question + answer)
    }
    guard !parts.isEmpty else { return nil }
    return parts.joined(separator: try separator())
  }

  private func separator() throws(AssayError) -> String {
    try Template.renderParams(suite.solver.fewshot?.separator ?? "\n\n", params: params)
  }

  /// The few-shot header, rendered (empty when the suite has none).
  private func header() throws(AssayError) -> String {
    guard let header = suite.solver.fewshot?.header else { return "" }
    return try Template.renderParams(header, params: params)
  }

  /// The text-form prompt for a sample (header, few-shot block, separator, question) with extra fields (a choice).
  private func textPrompt(
    _ fields: [String: String], _ options: GenerationOptions, excluding row: Int?
  ) throws(AssayError) -> String {
    let body = try render(suite.solver.prompt.template, fields)
    guard let shots = try fewshotText(options, excluding: row) else { return try header() + body }
    return try header() + shots + (try separator()) + body
  }

  /// The sample's question alone: the prompt template filled with its fields, without header or exemplars (what
  /// a rater reads first; `PairItem.fold` splits a stored prompt with it).
  public func question(for sample: Sample) throws(AssayError) -> String {
    try render(suite.solver.prompt.template, sample.fields)
  }

  /// Renders the request for one sample of a `generate` task.
  public func request(for sample: Sample, options: GenerationOptions) throws(AssayError) -> ModelRequest {
    let generate = suite.solver.generate
    var stops: [String] = []
    for stop in generate.stop ?? [] { stops.append(try Template.renderParams(stop, params: params)) }
    let prompt: ModelRequest.Prompt
    var tools: String?
    if suite.taskType == .functionCall {
      let chat = try FunctionCallGrader.chat(task: self, sample: sample)
      prompt = .chat(chat.messages)
      tools = chat.tools
    } else {
    switch promptMode(options) {
    case .chat:
      var messages: [ChatMessage] = []
      if let system = options.systemPrompt ?? suite.solver.system {
        messages.append(ChatMessage(role: "system", content: try Template.renderParams(system, params: params)))
      }
      if (options.fewshotStyle ?? suite.solver.fewshot?.style) == .turns && shots(options) > 0 {
        // The header leads the first user turn.
        var lead = try header()
        if let preamble = preamble(options) {
          messages.append(ChatMessage(role: "user", content: lead + preamble))
          lead = ""
        }
        for example in exemplars(options, excluding: sample.index) {
          let (question, answer) = try exemplarParts(example)
          messages.append(ChatMessage(role: "user", content: lead + question))
          messages.append(ChatMessage(role: "assistant", content: answer.trimmingCharacters(in: .whitespaces)))
          lead = ""
        }
        messages.append(ChatMessage(role: "user", content: lead + (try render(suite.solver.prompt.template, sample.fields))))
      } else {
        messages.append(ChatMessage(role: "user", content: try textPrompt(sample.fields, options, excluding: sample.index)))
      }
      prompt = .chat(messages)
    case .completion:
      prompt = .completion(try textPrompt(sample.fields, options, excluding: sample.index))
    }
    }
    var request = ModelRequest(
      model: options.model, prompt: prompt, maxTokens: options.maxTokens ?? generate.maxTokens,
      temperature: options.temperature ?? generate.temperature, topP: options.topP ?? generate.topP, stop: stops,
      seed: options.seed)
    request.tools = tools
    return request
  }

  /// The user turns of a multi-turn item (`solver.turns` names the field, a JSON list); one turn otherwise.
  public func turnCount(for sample: Sample) -> Int {
    guard let field = suite.solver.turns else { return 1 }
    return max(1, Self.userTurns(sample, field: field).count)
  }

  static func userTurns(_ sample: Sample, field: String) -> [String] {
    guard let text = sample.fields[field],
      let turns = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
    else { return [] }
    return turns
  }

  /// The user turns of an item as the judge sees them (the first rendered by the prompt template).
  public func userTurns(for sample: Sample) -> [String] {
    guard let field = suite.solver.turns else { return [(try? render(suite.solver.prompt.template, sample.fields)) ?? ""] }
    return Self.userTurns(sample, field: field)
  }

  /// The request for turn `answers.count + 1` of a multi-turn item: the first turn's request with the model's
  /// earlier answers and the next user turns appended.
  public func turnRequest(for sample: Sample, answers: [String], options: GenerationOptions) throws(AssayError) -> ModelRequest {
    var request = try self.request(for: sample, options: options)
    guard !answers.isEmpty else { return request }
    guard case .chat(var messages) = request.prompt, let field = suite.solver.turns else {
      throw AssayError(.invalidSuite, "\(id): later turns need chat mode and solver.turns", fix: "use mode: chat")
    }
    let turns = Self.userTurns(sample, field: field)
    for (index, answer) in answers.enumerated() where index + 1 < turns.count {
      messages.append(ChatMessage(role: "assistant", content: answer))
      messages.append(ChatMessage(role: "user", content: turns[index + 1]))
    }
    request.prompt = .chat(messages)
    return request
  }

  /// The requests of one item: one, or for a `code` task sampled n times, n that differ only in their seed
  /// (`--seed` + i, or i), so each completion is its own cache entry.
  public func requests(for sample: Sample, options: GenerationOptions) throws(AssayError) -> [ModelRequest] {
    let base = try request(for: sample, options: options)
    let count = scorer.execution?.samples ?? 1
    guard count > 1 else { return [base] }
    return (0..<count).map { index in
      var request = base
      request.seed = (options.seed ?? 0) + index
      return request
    }
  }

  /// The prompt of a sample as a person should review it: the request's prompt, or for log-likelihood items the
  /// context once and every choice's continuation marked `⟦...⟧`.
  public func preview(for sample: Sample, options: GenerationOptions) throws(AssayError) -> String {
    guard suite.taskType == .rankChoices else { return try request(for: sample, options: options).promptText }
    var parts: [(context: String, continuation: String)] = []
    for choice in try choiceRequests(for: sample, options: options) {
      guard case .completion(let text) = choice.request.prompt else { continue }
      let scalars = Array(text.unicodeScalars)
      parts.append((
        String(String.UnicodeScalarView(scalars[..<choice.contextLength])),
        String(String.UnicodeScalarView(scalars[choice.contextLength...]))))
    }
    let shared = Set(parts.map(\.context)).count == 1
    var lines: [String] = shared ? [parts.first?.context ?? ""] : []
    for (position, part) in parts.enumerated() {
      let mark = sample.correct.contains(position) ? "  ✓" : ""
      lines.append((shared ? "" : part.context) + "⟦\(part.continuation)⟧" + mark)
    }
    return lines.joined(separator: "\n")
  }

  /// One choice's log-likelihood request and where its continuation starts and ends (in Unicode scalars).
  public struct ChoiceRequest: Sendable, Equatable {
    /// `/v1/completions` with echo and logprobs; one generated token, greedy.
    public var request: ModelRequest
    /// Length of the context before the continuation.
    public var contextLength: Int
    /// Length of context plus continuation.
    public var promptLength: Int
    /// The `acc_norm` denominator (UTF-8 bytes of the continuation, or its characters: `scorer.acc_norm`).
    public var continuationBytes: Int
  }

  /// The `acc_norm` denominator of a continuation: its UTF-8 bytes, or (`characters`) its Unicode scalars without
  /// one leading space, as lm-eval's and lighteval's `len(choice)`.
  static func normLength(_ continuation: String, by unit: String?) -> Int {
    guard unit == "characters" else { return continuation.utf8.count }
    let scalars = continuation.unicodeScalars
    return scalars.first == " " ? scalars.count - 1 : scalars.count
  }

  /// The log-likelihood requests of one `rank_choices` sample, one per choice, in choice order.
  public func choiceRequests(for sample: Sample, options: GenerationOptions) throws(AssayError) -> [ChoiceRequest] {
    let continuationTemplate = suite.solver.continuation ?? " {{choice}}"
    var requests: [ChoiceRequest] = []
    for (position, choice) in sample.choices.enumerated() {
      let fields = Sample.choiceFields(sample.fields, choice: choice, position: position)
      let context = try textPrompt(fields, options, excluding: sample.index)
      let continuation = try render(continuationTemplate, fields)
      let full = context + continuation
      requests.append(ChoiceRequest(
        request: ModelRequest(
          model: options.model, prompt: .completion(full), maxTokens: 1, temperature: 0, logprobs: 1, echo: true),
        contextLength: context.unicodeScalars.count, promptLength: full.unicodeScalars.count,
        continuationBytes: Self.normLength(continuation, by: suite.scorer.accNorm)))
    }
    return requests
  }
}

/// Run-wide choices that shape every request; all of them are part of the run's configuration hash.
public struct GenerationOptions: Codable, Sendable, Equatable {
  /// The served model name.
  public var model: String
  /// Chat template or raw completion (nil: the suite's choice, else chat).
  public var mode: PromptMode?
  /// Overrides the suite's system prompt.
  public var systemPrompt: String?
  /// Overrides the suite's `max_tokens`.
  public var maxTokens: Int?
  /// Overrides the suite's temperature.
  public var temperature: Double?
  /// Overrides the suite's top_p.
  public var topP: Double?
  /// Sampling seed sent with every request.
  public var seed: Int?
  /// Overrides the suites' few-shot style: exemplars inside one prompt, or as user/assistant turns (chat mode).
  public var fewshotStyle: FewShotStyle?
  /// Uses at most this many exemplars (0 also drops a few-shot prompt file), like lm-eval's `--num_fewshot`.
  public var numFewshot: Int?

  /// Options for a model.
  public init(
    model: String, mode: PromptMode? = nil, systemPrompt: String? = nil, maxTokens: Int? = nil,
    temperature: Double? = nil, topP: Double? = nil, seed: Int? = nil, fewshotStyle: FewShotStyle? = nil,
    numFewshot: Int? = nil
  ) {
    self.fewshotStyle = fewshotStyle
    self.numFewshot = numFewshot
    self.model = model
    self.mode = mode
    self.systemPrompt = systemPrompt
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.topP = topP
    self.seed = seed
  }
}

/// What a task's run actually used: shots, decoding, prompt mode and how much of the dataset.
public struct TaskSettings: Codable, Sendable, Equatable {
  /// Few-shot exemplars in the prompt.
  public var shots: Int
  /// Whether the prompt asks for chain of thought (nil: not declared by the suite).
  public var chainOfThought: Bool?
  /// Generation limit.
  public var maxTokens: Int
  /// Sampling temperature.
  public var temperature: Double
  /// `chat` or `completion`.
  public var promptMode: String
  /// Samples run.
  public var samples: Int
  /// Samples in the dataset file.
  public var datasetSize: Int
  /// The headline pipeline.
  public var metric: String
  /// The suite's family (matches published rows for derived suites).
  public var family: String?
  /// How exemplars were presented: `text` or `turns` (nil without exemplars).
  public var fewshotStyle: String?
  /// The system message sent (chat mode), if any.
  public var systemPrompt: String?
  /// True when the exemplars come from the evaluated file (each item's own row left out).
  public var fewshotFromEvaluatedFile: Bool?
  /// `needle` tasks: the window, lengths and depths of the grid (item index = length position * depths + depth).
  public var needle: NeedleSettings?

  enum CodingKeys: String, CodingKey {
    case shots, chainOfThought = "chain_of_thought", maxTokens = "max_tokens", temperature, promptMode = "prompt_mode"
    case samples, datasetSize = "dataset_size", metric, family, fewshotStyle = "fewshot_style"
    case systemPrompt = "system_prompt", fewshotFromEvaluatedFile = "fewshot_from_evaluated_file", needle
  }

  /// Settings with every field given.
  public init(
    shots: Int, chainOfThought: Bool?, maxTokens: Int, temperature: Double, promptMode: String, samples: Int,
    datasetSize: Int, metric: String, family: String? = nil, fewshotStyle: String? = nil, systemPrompt: String? = nil,
    fewshotFromEvaluatedFile: Bool? = nil, needle: NeedleSettings? = nil
  ) {
    self.needle = needle
    self.fewshotFromEvaluatedFile = fewshotFromEvaluatedFile
    self.fewshotStyle = fewshotStyle
    self.systemPrompt = systemPrompt
    self.family = family
    self.shots = shots
    self.chainOfThought = chainOfThought
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.promptMode = promptMode
    self.samples = samples
    self.datasetSize = datasetSize
    self.metric = metric
  }
}
