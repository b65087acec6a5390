import AssayCore

extension EvalRunner {
  /// One sample's planned work; the request bodies and the cache key are computed once here.
  struct WorkItem: Sendable {
    let task: EvalTask
    let sample: Sample
    /// The one request of a generated answer, or one per choice for log-likelihood ranking.
    let requests: [ModelRequest]
    /// For ranking: each choice's context and prompt lengths and continuation bytes.
    let choices: [EvalTask.ChoiceRequest]
    let key: SampleKey
    let endpoint: String
    let body: String
    /// The prompt as stored with the sample (derived when the sample is recorded, not while planning).
    var prompt: String {
      if !choices.isEmpty { return requests.map(\.promptText).joined(separator: "\n\u{1E}\n") }
      return requests[0].promptText
    }
    var cacheKey: String
    /// What the item is expected to cost the server, in tokens: its prompts (UTF-8 bytes / 4) plus the generation
    /// budget (`max_tokens`) of every request, times the turns of a conversation. Shards are balanced on it.
    var expectedTokens: Int {
      requests.reduce(0) { $0 + $1.promptByteCount / 4 + $1.maxTokens } * max(1, turns)
    }
    /// Multi-turn items: the number of user turns, and the options later turns are rendered with.
    var turns = 1
    var options: GenerationOptions?

    /// `known` is the cache key when planning already computed it (the bytes are the same; hashing them again for
    /// every request sent is wasted CPU).
    init(task: EvalTask, sample: Sample, request: ModelRequest, cacheKey known: String? = nil) {
      self.task = task
      self.sample = sample
      requests = [request]
      choices = []
      key = SampleKey(taskID: task.id, index: sample.index)
      let bytes = request.jsonBody()
      endpoint = request.endpoint
      body = String(decoding: bytes, as: UTF8.self)
      cacheKey = known ?? ModelRequest.cacheKey(endpoint: request.endpoint, body: bytes)
    }

    /// A sampled item: n requests that differ in their seed, stored as one `CodeCompletions` response.
    init(task: EvalTask, sample: Sample, samples: [ModelRequest], cacheKey known: String? = nil) {
      self.task = task
      self.sample = sample
      requests = samples
      choices = []
      key = SampleKey(taskID: task.id, index: sample.index)
      let bodies = samples.map { $0.jsonBody() }
      endpoint = samples[0].endpoint
      body = "[" + bodies.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]"
      cacheKey = known ?? ModelRequest.cacheKey(endpoint: endpoint + "#samples", body: Array(body.utf8))
    }

    /// A multi-turn item: the first turn's request; later turns follow the model's own answers. The whole
    /// conversation is one cache entry, keyed by the first request and the number of turns.
    init(
      task: EvalTask, sample: Sample, firstTurn: ModelRequest, turns: Int, options: GenerationOptions,
      cacheKey known: String? = nil
    ) {
      self.init(task: task, sample: sample, request: firstTurn, cacheKey: "")
      self.turns = turns
      self.options = options
      cacheKey = known ?? ModelRequest.cacheKey(endpoint: endpoint + "#turns\(turns)", body: Array(body.utf8))
    }

    init(task: EvalTask, sample: Sample, choices: [EvalTask.ChoiceRequest], cacheKey known: String? = nil) {
      self.task = task
      self.sample = sample
      self.choices = choices
      requests = choices.map(\.request)
      key = SampleKey(taskID: task.id, index: sample.index)
      let bodies = requests.map { $0.jsonBody() }
      endpoint = "completions"
      body = "[" + bodies.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]"
      // A distinct endpoint label keeps ranked items apart from single completions with the same bytes.
      cacheKey = known ?? ModelRequest.cacheKey(endpoint: "completions#rank", body: Array(body.utf8))
    }
  }
}
