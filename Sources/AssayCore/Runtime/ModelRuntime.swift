/// Anything that answers model requests: an OpenAI-compatible server, a launched llama.cpp, a scripted fake.
///
/// Transport failures are outcomes, not errors: after its retries a runtime returns `.failure` with the last
/// error, and the runner stores it as a failed request.
public protocol ModelRuntime: Sendable {
  /// Sends one request (with retries) and returns its outcome.
  func generate(_ request: ModelRequest) async -> GenerationOutcome
  /// Sends several raw completions, in one call where the server takes a list of prompts, and returns one
  /// response per request in order (or the first failure).
  func generate(batch requests: [ModelRequest]) async -> BatchOutcome
  /// Sends one request whose JSON body (`request.jsonBody()`) the caller already encoded.
  func generate(_ request: ModelRequest, encodedBody: [UInt8]) async -> GenerationOutcome
}

extension ModelRuntime {
  /// Ignores the encoded body (runtimes that do not send JSON).
  public func generate(_ request: ModelRequest, encodedBody: [UInt8]) async -> GenerationOutcome { await generate(request) }

  /// One request after another (runtimes without list prompts).
  public func generate(batch requests: [ModelRequest]) async -> BatchOutcome { await generateEach(requests) }

  /// One request after another, stopping at the first failure.
  public func generateEach(_ requests: [ModelRequest]) async -> BatchOutcome {
    var responses: [ModelResponse] = []
    for request in requests {
      switch await generate(request) {
      case .success(let response): responses.append(response)
      case .failure(let failure): return .failure(failure)
      }
    }
    return .success(responses)
  }
}

/// The outcome of a batch of requests: every response in order, or the failure that ended it.
public enum BatchOutcome: Sendable, Equatable {
  case success([ModelResponse])
  case failure(RequestFailure)
}

/// The outcome of one request after retries.
public enum GenerationOutcome: Sendable, Equatable {
  case success(ModelResponse)
  case failure(RequestFailure)
}

/// A model's answer to one request.
public struct ModelResponse: Codable, Sendable, Equatable {
  /// The generated text (first choice).
  public var text: String
  /// `stop`, `length`, or what the server said.
  public var finishReason: String?
  /// Prompt tokens, as counted by the server.
  public var promptTokens: Int?
  /// Generated tokens, as counted by the server.
  public var completionTokens: Int?
  /// Wall-clock time of the successful attempt, in milliseconds.
  public var latencyMs: Double
  /// Attempts used, including the successful one.
  public var attempts: Int
  /// Per-token log-probabilities of the echoed prompt and the generated text (completions with echo + logprobs).
  public var logprobs: TokenLogprobs?
  /// The chat reply's `tool_calls` (requests with `tools`); nil when the server sent none.
  public var toolCalls: [ToolCall]?

  /// A response with its metadata.
  public init(
    text: String, finishReason: String?, promptTokens: Int? = nil, completionTokens: Int? = nil,
    latencyMs: Double = 0, attempts: Int = 1
  ) {
    self.text = text
    self.finishReason = finishReason
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.latencyMs = latencyMs
    self.attempts = attempts
  }
}

/// A request that failed after every retry.
public struct RequestFailure: Codable, Sendable, Equatable, Error {
  /// The last error, with what was being done (`HTTP 500 from http://.../v1/chat/completions`).
  public var message: String
  /// Attempts made.
  public var attempts: Int
  /// Whether retrying later could help (transport and 5xx/429 failures) or not (HTTP 400).
  public var retryable: Bool

  /// A failure with its last error.
  public init(message: String, attempts: Int, retryable: Bool) {
    self.message = message
    self.attempts = attempts
    self.retryable = retryable
  }
}

/// Token log-probabilities as OpenAI-compatible completion endpoints return them.
public struct TokenLogprobs: Codable, Sendable, Equatable {
  /// Token texts.
  public var tokens: [String]
  /// Log-probability of each token given the ones before (nil for the first).
  public var logprobs: [Double?]
  /// Character (Unicode scalar) offset of each token in the echoed text.
  public var offsets: [Int]

  /// Log-probabilities with their tokens and offsets.
  public init(tokens: [String], logprobs: [Double?], offsets: [Int]) {
    self.tokens = tokens
    self.logprobs = logprobs
    self.offsets = offsets
  }
}
