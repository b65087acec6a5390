import Foundation

/// A chat message in the OpenAI format.
public struct ChatMessage: Codable, Sendable, Equatable, Hashable {
  /// `system`, `user` or `assistant`.
  public var role: String
  /// The message text.
  public var content: String

  /// A message with a role and content.
  public init(role: String, content: String) {
    self.role = role
    self.content = content
  }
}

/// How prompts reach the model: through the server's chat template, or as raw completion text.
public enum PromptMode: String, Codable, Sendable, CaseIterable {
  case chat, completion
}

/// One request to an OpenAI-compatible endpoint, as a value; its JSON body is deterministic.
public struct ModelRequest: Sendable, Equatable {
  /// The prompt: chat messages or raw text.
  public enum Prompt: Sendable, Equatable {
    case chat([ChatMessage])
    case completion(String)
  }

  /// The served model name.
  public var model: String
  /// The prompt.
  public var prompt: Prompt
  /// Maximum generated tokens.
  public var maxTokens: Int
  /// Sampling temperature.
  public var temperature: Double
  /// Nucleus sampling mass.
  public var topP: Double?
  /// Stop sequences.
  public var stop: [String]
  /// Sampling seed.
  public var seed: Int?
  /// Completions per prompt.
  public var n: Int?
  /// Number of top log-probabilities per token (completions: an integer; chat: enables logprobs).
  public var logprobs: Int?
  /// Completions only: echo the prompt (with its log-probabilities when `logprobs` is set).
  public var echo: Bool?

  /// A request with the given prompt and decoding parameters.
  public init(
    model: String, prompt: Prompt, maxTokens: Int, temperature: Double, topP: Double? = nil, stop: [String] = [],
    seed: Int? = nil, n: Int? = nil, logprobs: Int? = nil, echo: Bool? = nil
  ) {
    self.model = model
    self.prompt = prompt
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.topP = topP
    self.stop = stop
    self.seed = seed
    self.n = n
    self.logprobs = logprobs
    self.echo = echo
  }

  /// The endpoint path below the base URL.
  public var endpoint: String {
    switch prompt {
    case .chat: return "chat/completions"
    case .completion: return "completions"
    }
  }

  /// The prompt exactly as sent, for storage: the messages as JSON, or the raw text.
  public var promptText: String {
    switch prompt {
    case .chat(let messages):
      return String(decoding: (try? Self.encoder.encode(messages)) ?? Data(), as: UTF8.self)
    case .completion(let text): return text
    }
  }

  /// The request body as JSON with sorted keys (identical bytes for identical requests).
  public func jsonBody() -> [UInt8] {
    var body = Body(
      model: model, max_tokens: maxTokens, temperature: temperature, top_p: topP, stop: stop.isEmpty ? nil : stop,
      seed: seed, n: n)
    switch prompt {
    case .chat(let messages):
      body.messages = messages
      if let logprobs {
        body.logprobs = .bool(true)
        body.top_logprobs = logprobs
      }
    case .completion(let text):
      body.prompt = .one(text)
      body.logprobs = logprobs.map { .int($0) }
      body.echo = echo
    }
    return Array((try? Self.encoder.encode(body)) ?? Data())
  }

  /// The response-cache key: sha256 of the endpoint and the body, which names the model.
  public var cacheKey: String { Self.cacheKey(endpoint: endpoint, body: jsonBody()) }

  /// The cache key of an already encoded body, so callers that keep the body do not encode it again.
  public static func cacheKey(endpoint: String, body: [UInt8]) -> String {
    var hasher = SHA256()
    hasher.update(endpoint)
    hasher.update([0])
    hasher.update(body)
    return hasher.finalizeHex()
  }

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  private enum LogprobsValue: Encodable {
    case bool(Bool), int(Int)
    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .bool(let value): try container.encode(value)
      case .int(let value): try container.encode(value)
      }
    }
  }

  private enum PromptValue: Encodable {
    case one(String), list([String])
    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .one(let value): try container.encode(value)
      case .list(let values): try container.encode(values)
      }
    }
  }

  /// One `/v1/completions` body carrying several prompts (`"prompt": [...]`, which vLLM answers with one choice per
  /// prompt), or nil when the requests are not raw completions that differ in their prompt only.
  public static func listBody(_ requests: [ModelRequest]) -> [UInt8]? {
    guard let first = requests.first, case .completion = first.prompt else { return nil }
    var prompts: [String] = []
    for request in requests {
      guard case .completion(let text) = request.prompt else { return nil }
      var same = request
      same.prompt = first.prompt
      guard same == first, request.n == nil || request.n == 1 else { return nil }
      prompts.append(text)
    }
    var body = Body(
      model: first.model, max_tokens: first.maxTokens, temperature: first.temperature, top_p: first.topP,
      stop: first.stop.isEmpty ? nil : first.stop, seed: first.seed, n: first.n)
    body.prompt = .list(prompts)
    body.logprobs = first.logprobs.map { .int($0) }
    body.echo = first.echo
    return Array((try? encoder.encode(body)) ?? Data())
  }

  private struct Body: Encodable {
    var model: String
    var max_tokens: Int
    var temperature: Double
    var top_p: Double?
    var stop: [String]?
    var seed: Int?
    var n: Int?
    var messages: [ChatMessage]?
    var prompt: PromptValue?
    var logprobs: LogprobsValue?
    var top_logprobs: Int?
    var echo: Bool?
  }
}
