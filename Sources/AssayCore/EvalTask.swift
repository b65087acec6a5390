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

  /// `suite/variant`, e.g. `mgsm/de`.
  public var id: String { "\(suite.id)/\(variant.id)" }

  /// A task for a variant; compiles the scorer and checks every template renders.
  public init(
    suite: SuiteDefinition, variant: VariantSpec, samples: [Sample], datasetSHA256: [String: String]
  ) throws(AssayError) {
    self.suite = suite
    self.variant = variant
    self.samples = samples
    self.datasetSHA256 = datasetSHA256
    self.scorer = try Scorer(spec: suite.scorer, params: variant.templateParameters)
    self.contentHash = Self.contentHash(suite: suite, variant: variant)
  }

  /// The content hash of a suite's definition and one variant.
  public static func contentHash(suite: SuiteDefinition, variant: VariantSpec) -> String {
    var hasher = SHA256()
    hasher.update(CanonicalJSON.encode(suite))
    hasher.update([0])
    hasher.update(CanonicalJSON.encode(variant))
    return hasher.finalizeHex()
  }

  /// The settings a run of this task used, as recorded with the run (for reports and reference comparisons).
  public func settings(options: GenerationOptions, limit: Int?) -> TaskSettings {
    TaskSettings(
      shots: suite.solver.fewshot?.examples.count ?? 0, chainOfThought: suite.chainOfThought,
      maxTokens: options.maxTokens ?? suite.solver.generate.maxTokens,
      temperature: options.temperature ?? suite.solver.generate.temperature, promptMode: options.mode.rawValue,
      samples: min(limit ?? samples.count, samples.count), datasetSize: samples.count, metric: scorer.primary,
      family: suite.family)
  }

  /// Renders the request for one sample.
  public func request(for sample: Sample, options: GenerationOptions) throws(AssayError) -> ModelRequest {
    let params = variant.templateParameters
    var body = try Template.render(suite.solver.prompt.template, params: params, fields: sample.fields)
    if let fewshot = suite.solver.fewshot, !fewshot.examples.isEmpty {
      var shots: [String] = []
      for example in fewshot.examples {
        shots.append(try Template.render(fewshot.template, params: params, fields: example))
      }
      let separator = try Template.renderParams(fewshot.separator, params: params)
      body = shots.joined(separator: separator) + separator + body
    }
    let generate = suite.solver.generate
    var stops: [String] = []
    for stop in generate.stop ?? [] { stops.append(try Template.renderParams(stop, params: params)) }
    let prompt: ModelRequest.Prompt
    switch options.mode {
    case .chat:
      var messages: [ChatMessage] = []
      if let system = options.systemPrompt ?? suite.solver.system {
        messages.append(ChatMessage(role: "system", content: try Template.renderParams(system, params: params)))
      }
      messages.append(ChatMessage(role: "user", content: body))
      prompt = .chat(messages)
    case .completion:
      prompt = .completion(body)
    }
    return ModelRequest(
      model: options.model, prompt: prompt, maxTokens: options.maxTokens ?? generate.maxTokens,
      temperature: options.temperature ?? generate.temperature, topP: options.topP ?? generate.topP, stop: stops,
      seed: options.seed)
  }
}

/// Run-wide choices that shape every request; all of them are part of the run's configuration hash.
public struct GenerationOptions: Codable, Sendable, Equatable {
  /// The served model name.
  public var model: String
  /// Chat template or raw completion.
  public var mode: PromptMode
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

  /// Options for a model.
  public init(
    model: String, mode: PromptMode = .chat, systemPrompt: String? = nil, maxTokens: Int? = nil,
    temperature: Double? = nil, topP: Double? = nil, seed: Int? = nil
  ) {
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

  enum CodingKeys: String, CodingKey {
    case shots, chainOfThought = "chain_of_thought", maxTokens = "max_tokens", temperature, promptMode = "prompt_mode"
    case samples, datasetSize = "dataset_size", metric, family
  }

  /// Settings with every field given.
  public init(
    shots: Int, chainOfThought: Bool?, maxTokens: Int, temperature: Double, promptMode: String, samples: Int,
    datasetSize: Int, metric: String, family: String? = nil
  ) {
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
