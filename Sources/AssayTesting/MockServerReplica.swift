import AssayCore
import AssayMockKit
import Foundation
import Synchronization

/// `assay-mock-server` seen through `OpenAIClient`, in process: the same answers (a number drawn from the sha256 of
/// the request body), made-up echo log-probabilities, faults drawn as `--fault-rate`, `--faults` and `--seed` draw
/// them, and the client's retries and messages around them. Tests run one body on `runtime()` and on the real client
/// against the real mock (Hummingbird's in-process and live pattern), so the fake the runner's tests use is held to
/// what the real pair does.
public final class MockServerReplica: Sendable {
  /// The mock server's options, as its flags name them.
  public struct Options: Sendable {
    /// `--model`: the served model name; a request for another gets HTTP 404.
    public var model: String
    /// `--fault-rate`: share of requests that get a fault.
    public var faultRate: Double
    /// `--faults`: the kinds drawn from (`500`, `429`).
    public var faults: [String]
    /// `--seed`: seed of the fault draws.
    public var seed: UInt64
    /// `--content-json`: raw JSON answered as every generation's content or text (e.g. `null`).
    public var contentJSON: String?

    /// Options; the defaults are the mock's.
    public init(
      model: String = "mock-model", faultRate: Double = 0, faults: [String] = ["500", "429"], seed: UInt64 = 1,
      contentJSON: String? = nil
    ) {
      self.model = model
      self.faultRate = faultRate
      self.faults = faults
      self.seed = seed
      self.contentJSON = contentJSON
    }

    /// The same options as `assay-mock-server` arguments.
    public var arguments: [String] {
      var arguments = ["--model", model, "--fault-rate", "\(faultRate)", "--faults", faults.joined(separator: ","), "--seed", "\(seed)"]
      if let contentJSON { arguments += ["--content-json", contentJSON] }
      return arguments
    }
  }

  /// The options.
  public let options: Options
  /// The base URL messages name (the mock's is `http://127.0.0.1:PORT/v1`).
  public let baseURL: String
  /// Retries after the first attempt, as `RetryPolicy.maxRetries`.
  public let maxRetries: Int
  private let state: Mutex<(random: SeededGenerator, requests: Int)>

  /// A replica with the mock's options and the client's retries.
  public init(options: Options, baseURL: String = "http://in-process.invalid/v1", maxRetries: Int) {
    self.options = options
    self.baseURL = baseURL
    self.maxRetries = maxRetries
    state = Mutex((random: SeededGenerator(seed: options.seed), requests: 0))
  }

  /// HTTP requests received so far, retries included (the mock's `/stats` `requests`).
  public var requests: Int { state.withLock { $0.requests } }

  /// A scripted runtime that answers as the client would with the mock behind it.
  public func runtime() -> ScriptedRuntime { ScriptedRuntime { request, _ in self.answer(request) } }

  /// The client's outcome for one request: attempts until an answer, a failure that is not retried, or no retries
  /// left.
  public func answer(_ request: ModelRequest) -> GenerationOutcome {
    let url = "\(baseURL)/\(request.endpoint)"
    var attempt = 0
    while true {
      attempt += 1
      let failure: (message: String, retryable: Bool)
      switch attemptOnce(request, url: url) {
      case .success(var response):
        response.attempts = attempt
        return .success(response)
      case .failure(let message, let retryable):
        failure = (message, retryable)
      }
      guard failure.retryable, attempt <= maxRetries else {
        return .failure(RequestFailure(message: failure.message, attempts: attempt, retryable: failure.retryable))
      }
    }
  }

  private enum Attempt {
    case success(ModelResponse)
    case failure(String, retryable: Bool)
  }

  /// One exchange: the mock's fault draw, its answer, and the client's reading of it.
  private func attemptOnce(_ request: ModelRequest, url: String) -> Attempt {
    let kinds = options.faults.filter { ["500", "429"].contains($0) }
    let fault: String? = state.withLock { state in
      state.requests += 1
      guard options.faultRate > 0, !kinds.isEmpty else { return nil }
      let draw = Double(state.random.next() >> 11) / Double(1 << 53)
      guard draw < options.faultRate else { return nil }
      return kinds[state.random.index(below: kinds.count)]
    }
    if let fault {
      let body = fault == "500" ? "{\"error\":{\"message\":\"injected fault\"}}" : "{\"error\":{\"message\":\"rate limited (injected)\"}}"
      return .failure("HTTP \(fault) from \(url): \(TerminalText.visible(body, layout: .singleLine))", retryable: true)
    }
    guard request.model == options.model else {
      let body = "{\"error\":{\"message\":\"model not found; this server serves '\(options.model)'\"}}"
      return .failure("HTTP 404 from \(url): \(TerminalText.visible(body, layout: .singleLine))", retryable: false)
    }
    let chat = request.endpoint == "chat/completions"
    let body = request.jsonBody()
    var hasher = SHA256()
    hasher.update(request.endpoint)
    hasher.update([0])
    hasher.update(body)
    let number = Int(hasher.finalizeHex().prefix(4), radix: 16)! % 100
    var text = "Let me think step by step. \(number / 2) + \(number - number / 2) = \(number). The answer is \(number). Antwort: \(number)"
    var finishReason = "stop"
    var logprobs: TokenLogprobs?
    if !chat, request.echo == true, request.logprobs != nil, case .completion(let prompt) = request.prompt {
      text = prompt + " x"
      finishReason = "length"
      logprobs = MockEcho.logprobs(for: prompt)
    } else if let contentJSON = options.contentJSON {
      guard let content = try? JSONSerialization.jsonObject(with: Data(contentJSON.utf8), options: .fragmentsAllowed) as? String else {
        let field = chat ? "message.content" : "text"
        let what = contentJSON == "null" ? "null" : "not a string"
        return .failure(
          "unreadable response from \(url): the choice's `\(field)` is \(what) (finish_reason stop): no answer to score", retryable: true)
      }
      text = content
    }
    var response = ModelResponse(text: text, finishReason: finishReason, promptTokens: body.count / 4, completionTokens: 24)
    response.logprobs = logprobs
    return .success(response)
  }
}
