import AssayCore

extension EvalRunner {
  /// One sample's planned work: what it sends, by kind, and (computed once, here) its request body and cache key.
  struct WorkItem: Sendable {
    /// What an item sends, and so how it is answered and stored.
    enum Kind: Sendable {
      /// One request; its reply is the answer.
      case single(ModelRequest)
      /// n requests that differ in their seed (pass@k), answered as one `CodeCompletions`.
      case sampled([ModelRequest])
      /// One echoed completion per choice (log-likelihood ranking), answered as one `RankedChoices`.
      case ranked([EvalTask.ChoiceRequest])
      /// The first turn of a conversation; later turns follow the model's own answers and are rendered with
      /// `options`. Answered as one `ConversationAnswers`.
      case conversation(first: ModelRequest, turns: Int, options: GenerationOptions)
    }

    let task: EvalTask
    let sample: Sample
    let kind: Kind
    let key: SampleKey
    let endpoint: String
    /// The request body as stored: the one request's, or a JSON list of every sampled or ranked request's.
    let body: String
    let cacheKey: String

    /// `known` is the cache key when planning already computed it (the bytes are the same; hashing them again for
    /// every request sent is wasted CPU). The whole conversation is one cache entry, keyed by the first request and
    /// the number of turns; distinct endpoint labels keep sampled, ranked and multi-turn items apart from single
    /// requests with the same bytes.
    init(task: EvalTask, sample: Sample, kind: Kind, cacheKey known: String? = nil) {
      self.task = task
      self.sample = sample
      self.kind = kind
      key = SampleKey(taskID: task.id, index: sample.index)
      let bytes: [UInt8]
      let label: String
      switch kind {
      case .single(let request), .conversation(let request, _, _):
        bytes = request.jsonBody()
        endpoint = request.endpoint
        if case .conversation(_, let turns, _) = kind { label = endpoint + "#turns\(turns)" } else { label = endpoint }
      case .sampled(let requests):
        bytes = Self.list(requests)
        endpoint = requests[0].endpoint
        label = endpoint + "#samples"
      case .ranked(let choices):
        bytes = Self.list(choices.map(\.request))
        endpoint = "completions"
        label = "completions#rank"
      }
      body = String(decoding: bytes, as: UTF8.self)
      cacheKey = known ?? ModelRequest.cacheKey(endpoint: label, body: bytes)
    }

    /// Request bodies as one JSON list.
    private static func list(_ requests: [ModelRequest]) -> [UInt8] {
      var bytes: [UInt8] = [UInt8(ascii: "[")]
      for (index, request) in requests.enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes += request.jsonBody()
      }
      bytes.append(UInt8(ascii: "]"))
      return bytes
    }

    /// The requests rendered when planning: the one, every sample's, every choice's, or a conversation's first.
    var requests: [ModelRequest] {
      switch kind {
      case .single(let request), .conversation(let request, _, _): return [request]
      case .sampled(let requests): return requests
      case .ranked(let choices): return choices.map(\.request)
      }
    }

    /// The user turns a conversation sends (1 for other items).
    var turns: Int {
      if case .conversation(_, let turns, _) = kind { return turns }
      return 1
    }

    /// Whether the item ranks choices by likelihood (it is planned and sent differently).
    var isRanked: Bool {
      if case .ranked = kind { return true }
      return false
    }

    /// How the item's stored response is read.
    var payloadKind: ResponsePayload.Kind {
      switch kind {
      case .single(let request): return request.tools == nil ? .text : .toolCalls
      case .sampled: return .completions
      case .ranked: return .ranked
      case .conversation: return .conversation
      }
    }

    /// The prompt as stored with the sample (derived when the sample is recorded, not while planning).
    var prompt: String {
      if isRanked { return requests.map(\.promptText).joined(separator: "\n\u{1E}\n") }
      return requests[0].promptText
    }

    /// What the item is expected to cost the server, in tokens: its prompts (UTF-8 bytes / 4) plus the generation
    /// budget (`max_tokens`) of every request, times the turns of a conversation. Shards are balanced on it.
    var expectedTokens: Int {
      requests.reduce(0) { $0 + $1.promptByteCount / 4 + $1.maxTokens } * turns
    }

    /// HTTP calls the item makes: its choices (in lists of `promptsPerRequest`), samples or turns.
    func calls(promptsPerRequest: Int) -> Int {
      switch kind {
      case .single: return 1
      case .sampled(let requests): return requests.count
      case .ranked(let choices):
        let perCall = max(1, promptsPerRequest)
        return (choices.count + perCall - 1) / perCall
      case .conversation(_, let turns, _): return turns
      }
    }
  }

  /// A model's answer to an item: the response as stored (its text is the payload's stored text) and the payload.
  struct Answer: Sendable {
    let response: ModelResponse
    let payload: ResponsePayload

    /// An answer just generated.
    init(_ payload: ResponsePayload, response: ModelResponse) {
      self.payload = payload
      var stored = response
      stored.text = payload.storedText
      self.response = stored
    }

    /// An answer from the response cache, read as the item's kind.
    init(cached response: ModelResponse, kind: ResponsePayload.Kind) {
      self.response = response
      payload = ResponsePayload(stored: response.text, kind: kind)
    }
  }
}
