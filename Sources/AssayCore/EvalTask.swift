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
