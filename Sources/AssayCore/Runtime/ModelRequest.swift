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
  /// Chat only: the `tools` array (OpenAI function tools) as compact JSON with sorted keys, sent as is.
  public var tools: String?

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
      // As JSONEncoder writes it (sorted keys, slashes unescaped), by hand: this runs for every request sent.
      var out: [UInt8] = []
      Self.appendMessages(messages, to: &out)
      return String(decoding: out, as: UTF8.self)
    case .completion(let text): return text
    }
  }

  /// The request body as JSON with sorted keys (identical bytes for identical requests).
  public func jsonBody() -> [UInt8] { jsonBody(promptList: nil) }

  /// The body with `prompts` in place of a completion's prompt (`"prompt": [...]`); nil writes the request's own.
  private func jsonBody(promptList prompts: [String]?) -> [UInt8] {
    // Written by hand, byte for byte what JSONEncoder gives with sorted keys and unescaped slashes (cache keys
    // hash these bytes; ModelRequestTests checks the equality): JSONEncoder costs more CPU per request than the
    // rest of the harness at thousands of requests per second.
    var out: [UInt8] = []
    out.reserveCapacity(promptByteCount + 160)
    var first = true
    func key(_ name: StaticString) {
      out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
      first = false
      out.append(UInt8(ascii: "\""))
      name.withUTF8Buffer { out.append(contentsOf: $0) }
      out.append(UInt8(ascii: "\""))
      out.append(UInt8(ascii: ":"))
    }
    func int(_ value: Int) { out.append(contentsOf: String(value).utf8) }
    var chatLogprobs = false
    var messages: [ChatMessage]?
    var text: String?
    switch prompt {
    case .chat(let list):
      messages = list
      chatLogprobs = logprobs != nil
    case .completion(let value):
      text = value
    }
    if text != nil, let echo {
      key("echo")
      out.append(contentsOf: (echo ? "true" : "false").utf8)
    }
    if chatLogprobs {
      key("logprobs")
      out.append(contentsOf: "true".utf8)
    } else if text != nil, let logprobs {
      key("logprobs")
      int(logprobs)
    }
    key("max_tokens")
    int(maxTokens)
    if let messages {
      key("messages")
      Self.appendMessages(messages, to: &out)
    }
    key("model")
    JSONText.appendString(model, to: &out)
    if let n {
      key("n")
      int(n)
    }
    if let prompts, text != nil {
      key("prompt")
      JSONText.appendStrings(prompts, to: &out)
    } else if let text {
      key("prompt")
      JSONText.appendString(text, to: &out)
    }
    if let seed {
      key("seed")
      int(seed)
    }
    if !stop.isEmpty {
      key("stop")
      JSONText.appendStrings(stop, to: &out)
    }
    key("temperature")
    JSONText.appendDouble(temperature, to: &out)
    if chatLogprobs, let logprobs {
      key("top_logprobs")
      int(logprobs)
    }
    if let tools, messages != nil {
      key("tools")
      out.append(contentsOf: tools.utf8)
    }
    if let topP {
      key("top_p")
      JSONText.appendDouble(topP, to: &out)
    }
    out.append(UInt8(ascii: "}"))
    return out
  }

  /// Chat messages as a JSON array, as JSONEncoder writes `[ChatMessage]` with sorted keys.
  static func appendMessages(_ messages: [ChatMessage], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "["))
    for (index, message) in messages.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: #"{"content":"#.utf8)
      JSONText.appendString(message.content, to: &out)
      out.append(contentsOf: #","role":"#.utf8)
      JSONText.appendString(message.role, to: &out)
      out.append(UInt8(ascii: "}"))
    }
    out.append(UInt8(ascii: "]"))
  }

  /// The prompt's size in UTF-8 bytes (message texts plus a little per message), for planning.
  public var promptByteCount: Int {
    switch prompt {
    case .chat(let messages): return messages.reduce(0) { $0 + $1.content.utf8.count + 32 } + (tools?.utf8.count ?? 0)
    case .completion(let text): return text.utf8.count
    }
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
    return first.jsonBody(promptList: prompts)
  }
}
