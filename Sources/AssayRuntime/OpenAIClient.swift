import AssayCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A client for any OpenAI-compatible server (`/v1/chat/completions`, `/v1/completions`, `/v1/models`) with a
/// per-request timeout and retries on 429, 5xx, timeouts and dropped connections.
public final class OpenAIClient: ModelRuntime {
  /// The base URL, ending in `/v1`.
  public let baseURL: String
  private let apiKey: String?
  private let timeout: Double
  private let retry: RetryPolicy
  private let http: HTTPClient
  private let logger: Logger
  private let rateLimits: (any RateLimitObserver)?
  /// Whether a redirect to another host is followed (one to the same scheme, host and port always is).
  let followRedirects: Bool
  /// Requests on the wire at once, at most the pool's connections: the rest wait here, without a deadline.
  let gate: AsyncGate

  /// A client; call `shutdown()` when done (or use `withClient`). `rateLimits` hears of every 429.
  public init(
    baseURL: String, apiKey: String?, timeout: Double, retry: RetryPolicy, maxConnections: Int, logger: Logger,
    rateLimits: (any RateLimitObserver)? = nil, followRedirects: Bool = false
  ) {
    var trimmed = baseURL
    while trimmed.hasSuffix("/") { trimmed.removeLast() }
    self.baseURL = trimmed
    self.apiKey = apiKey
    self.timeout = timeout
    self.retry = retry
    self.logger = logger
    self.rateLimits = rateLimits
    self.followRedirects = followRedirects
    gate = AsyncGate(limit: maxConnections)
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(
      idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnections))
    // Our own retry policy handles refused connections, with backoff and a visible error; AHC's would retry
    // silently until the connect timeout.
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout = .init(connect: .seconds(10))
    configuration.httpVersion = .http1Only
    // Redirects are followed by `send`, which refuses other hosts unless asked: AHC would send the prompt anywhere.
    configuration.redirectConfiguration = .disallow
    http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }

  /// Runs `body` with a client and shuts it down afterwards, also when `body` throws.
  ///
  /// ```swift
  /// let outcome = try await OpenAIClient.withClient(
  ///   baseURL: "http://127.0.0.1:8000/v1", apiKey: nil, timeout: 60, retry: RetryPolicy(), maxConnections: 4,
  ///   logger: Logger(label: "example")
  /// ) { client in
  ///   await client.generate(ModelRequest(
  ///     model: "served-name", prompt: .chat([ChatMessage(role: "user", content: "Capital of France?")]),
  ///     maxTokens: 16, temperature: 0))
  /// }
  /// if case .success(let response) = outcome { print(response.text) }  // failures are values, not throws
  /// ```
  public static func withClient<T: Sendable>(
    baseURL: String, apiKey: String?, timeout: Double, retry: RetryPolicy, maxConnections: Int, logger: Logger,
    rateLimits: (any RateLimitObserver)? = nil, followRedirects: Bool = false, _ body: (OpenAIClient) async throws -> T
  ) async throws -> T {
    let client = OpenAIClient(
      baseURL: baseURL, apiKey: apiKey, timeout: timeout, retry: retry, maxConnections: maxConnections, logger: logger,
      rateLimits: rateLimits, followRedirects: followRedirects)
    do {
      let result = try await body(client)
      try? await client.http.shutdown()
      return result
    } catch {
      try? await client.http.shutdown()
      throw error
    }
  }

  // MARK: Generation

  public func generate(_ request: ModelRequest) async -> GenerationOutcome {
    await generate(request, encodedBody: request.jsonBody())
  }

  public func generate(_ request: ModelRequest, encodedBody: [UInt8]) async -> GenerationOutcome {
    let chat = request.endpoint == "chat/completions"
    switch await exchange(url: "\(baseURL)/\(request.endpoint)", body: encodedBody, parse: { try Self.parseCompletion($0, chat: chat) }) {
    case .success(var response, let latency, let attempts):
      response.latencyMs = latency
      response.attempts = attempts
      return .success(response)
    case .failure(var failure):
      if request.tools != nil, !failure.retryable, failure.message.hasPrefix("HTTP 4") || failure.message.hasPrefix("HTTP 501") {
        failure.message += Self.toolsRefusedHint
      }
      return .failure(failure)
    }
  }

  /// Added to a refused request that carried `tools`: the likely cause and the way around it.
  static let toolsRefusedHint =
    " - the server refused a chat request with `tools`: it may not support function calling (vLLM needs --enable-auto-tool-choice and a --tool-call-parser, llama.cpp's llama-server --jinja; Assay's own llama.cpp runtime has none); run the prompted suite (bfcl) instead of bfcl-native"

  /// Several raw completions in one `/v1/completions` call (`"prompt": [...]`), one response per prompt in order;
  /// requests that cannot share a call are sent one by one.
  public func generate(batch requests: [ModelRequest]) async -> BatchOutcome {
    guard requests.count > 1, let body = ModelRequest.listBody(requests) else { return await generateEach(requests) }
    switch await exchange(url: "\(baseURL)/completions", body: body, parse: { try Self.parseCompletionList($0, count: requests.count) }) {
    case .success(var responses, let latency, let attempts):
      for index in responses.indices {
        responses[index].latencyMs = latency
        responses[index].attempts = attempts
      }
      return .success(responses)
    case .failure(let failure):
      return .failure(failure)
    }
  }

  enum Exchanged<T> {
    case success(T, latency: Double, attempts: Int)
    case failure(RequestFailure)
  }

  /// POSTs `body` until it succeeds, fails for good, or the retries run out; 429s are reported to the observer.
  func exchange<T>(url: String, body: [UInt8], parse: ([UInt8]) throws -> T) async -> Exchanged<T> {
    var attempt = 0
    while true {
      attempt += 1
      let started = ContinuousClock.now
      let result = await send(method: .POST, url: url, body: body)
      let latency = (ContinuousClock.now - started).milliseconds
      let failure: AttemptFailure
      switch result {
      case .response(let status, let headers, let bytes):
        if status == 200 {
          do {
            return .success(try parse(bytes), latency: latency, attempts: attempt)
          } catch {
            failure = AttemptFailure(
              message: "unreadable response from \(url): \(error)", retryable: true, retryAfter: nil)
          }
        } else {
          if status == 429 { rateLimits?.rateLimited() }
          // The body is the server's text: shown, not obeyed, wherever the message is printed.
          let snippet = TerminalText.visible(String(decoding: bytes.prefix(300), as: UTF8.self), layout: .singleLine)
          let retryable = status == 429 || status == 408 || status >= 500
          failure = AttemptFailure(
            message: "HTTP \(status) from \(url): \(snippet)", retryable: retryable,
            retryAfter: headers.first(name: "retry-after").flatMap(Self.parseRetryAfter))
        }
      case .transport(let message):
        failure = AttemptFailure(message: "\(message) - \(url)", retryable: true, retryAfter: nil)
      case .cancelled:
        return .failure(RequestFailure(message: "cancelled - \(url)", attempts: attempt, retryable: true))
      }
      guard failure.retryable, attempt <= retry.maxRetries else {
        return .failure(RequestFailure(message: failure.message, attempts: attempt, retryable: failure.retryable))
      }
      let delay = retry.delay(beforeRetry: attempt, retryAfter: failure.retryAfter)
      logger.debug(
        "retrying", metadata: ["attempt": "\(attempt)", "delay_s": "\(delay)", "error": "\(failure.message)"])
      do {
        try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
      } catch {
        return .failure(RequestFailure(message: "cancelled - \(url)", attempts: attempt, retryable: true))
      }
    }
  }

  struct AttemptFailure {
    var message: String
    var retryable: Bool
    var retryAfter: Double?
  }

  enum AttemptResult: Sendable {
    case response(status: Int, headers: HTTPHeaders, body: [UInt8])
    case transport(String)
    case cancelled
  }

  /// One HTTP exchange bounded by the timeout; transport problems become values. Redirects come back as they are.
  func sendOnce(method: HTTPMethod, url: String, body: [UInt8]?, timeout overrideTimeout: Double? = nil) async -> AttemptResult {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Accept", value: "application/json")
    if let apiKey, !apiKey.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: body))
    }
    let limit = overrideTimeout ?? timeout
    let http = self.http
    let prepared = request
    do {
      return try await withThrowingTaskGroup(of: AttemptResult.self) { group in
        group.addTask {
          let response = try await http.execute(prepared, timeout: .milliseconds(Int64(limit * 1000)))
          var buffer = try await response.body.collect(upTo: 64 << 20)
          let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
          return .response(status: Int(response.status.code), headers: response.headers, body: bytes)
        }
        group.addTask {
          try await Task.sleep(for: .milliseconds(Int(limit * 1000)))
          return .transport("timed out after \(limit) s")
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
      }
    } catch is CancellationError {
      return .cancelled
    } catch {
      if Task.isCancelled { return .cancelled }
      return .transport(Self.describe(error, timeout: limit))
    }
  }

  static func describe(_ error: any Error, timeout: Double) -> String {
    if let error = error as? HTTPClientError {
      switch error {
      case .deadlineExceeded, .readTimeout, .writeTimeout: return "timed out after \(timeout) s"
      case .connectTimeout: return "connection timed out"
      case .remoteConnectionClosed: return "connection closed by the server before a response"
      default: return "HTTP client error: \(error)"
      }
    }
    let text = "\(error)"
    if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
    if text.contains("reset") { return "connection reset by peer" }
    return "transport error: \(text)"
  }

  static func parseRetryAfter(_ value: String) -> Double? {
    if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
  }

  /// Reads the first choice of a chat or text completion.
  static func parseCompletion(_ bytes: [UInt8], chat: Bool) throws -> ModelResponse {
    let (choices, usage) = try decodeCompletion(bytes)
    guard let first = choices.first else {
      throw ParseError("no `choices` in \(String(decoding: bytes.prefix(200), as: UTF8.self))")
    }
    var response = try response(first, chat: chat)
    response.promptTokens = usage?["prompt_tokens"]?.int
    response.completionTokens = usage?["completion_tokens"]?.int
    return response
  }

  /// The choices and usage of a completion body.
  private static func decodeCompletion(_ bytes: [UInt8]) throws -> (choices: [JSONValue], usage: JSONValue?) {
    let body: JSONValue
    do {
      body = try JSONValue.parse(bytes)
    } catch {
      throw ParseError("not JSON (\(error)): \(String(decoding: bytes.prefix(200), as: UTF8.self))")
    }
    guard let choices = body["choices"]?.array else {
      throw ParseError("no `choices` in \(String(decoding: bytes.prefix(200), as: UTF8.self))")
    }
    return (choices, body["usage"])
  }

  private static func response(_ choice: JSONValue, chat: Bool) throws -> ModelResponse {
    // A missing, null or non-string text is a failed request (retried), never an empty answer kept in the cache;
    // but a chat reply that makes tool calls may have no text.
    let field = chat ? choice["message"]?["content"] : choice["text"]
    let toolCalls = chat ? try Self.toolCalls(choice["message"]?["tool_calls"]) : nil
    let text: String
    if let string = field?.string {
      text = string
    } else if let toolCalls, !toolCalls.isEmpty, field == nil || field == .null {
      text = ""
    } else {
      throw ParseError(
        "the choice's `\(chat ? "message.content" : "text")` is \(field.map { $0 == .null ? "null" : "not a string" } ?? "missing")"
          + " (finish_reason \(choice["finish_reason"]?.string ?? "none")): no answer to score")
    }
    var response = ModelResponse(
      text: text,
      finishReason: choice["finish_reason"]?.string, promptTokens: nil, completionTokens: nil)
    response.toolCalls = toolCalls.flatMap { $0.isEmpty ? nil : $0 }
    // Chat logprobs have another shape ({"content": [...]}); only text completions' are read.
    if !chat, let logprobs = choice["logprobs"], let tokens = logprobs["tokens"]?.array,
      let values = logprobs["token_logprobs"]?.array, let offsets = logprobs["text_offset"]?.array,
      tokens.count == values.count, tokens.count == offsets.count
    {
      response.logprobs = TokenLogprobs(
        tokens: tokens.map { $0.string ?? "" }, logprobs: values.map(\.number), offsets: offsets.map { $0.int ?? 0 })
    }
    return response
  }

  /// A chat message's `tool_calls`: each `function`'s name and arguments. Arguments arrive as a JSON text (OpenAI's
  /// format); a server that sends an object gets it re-encoded with sorted keys. Anything else is an unreadable
  /// response (retried), never a guessed call.
  static func toolCalls(_ value: JSONValue?) throws -> [ToolCall]? {
    guard let value, value != .null else { return nil }
    guard let list = value.array else { throw ParseError("`message.tool_calls` is not a list") }
    return try list.enumerated().map { index, item in
      guard let function = item["function"], let name = function["name"]?.string else {
        throw ParseError("`message.tool_calls[\(index)]` has no `function.name`")
      }
      guard let arguments = function["arguments"], arguments != .null else { return ToolCall(name: name, arguments: "{}") }
      if let text = arguments.string { return ToolCall(name: name, arguments: text) }
      return ToolCall(name: name, arguments: arguments.canonicalText)
    }
  }

  /// Reads the choices of a completion with a list of prompts: one per prompt, matched by their `index`. The
  /// usage (counted for the whole call) goes to the first response.
  static func parseCompletionList(_ bytes: [UInt8], count: Int) throws -> [ModelResponse] {
    let (choices, usage) = try decodeCompletion(bytes)
    guard choices.count == count else {
      throw ParseError("\(choices.count) choices for \(count) prompts: the server does not answer a list of prompts one choice each (send one prompt per request: --prompts-per-request 1)")
    }
    var responses = [ModelResponse?](repeating: nil, count: count)
    for (position, choice) in choices.enumerated() {
      let index = choice["index"]?.int ?? position
      guard index >= 0, index < count, responses[index] == nil else { throw ParseError("choice index \(index) out of place") }
      responses[index] = try response(choice, chat: false)
    }
    var result = responses.map { $0! }
    for index in result.indices {
      result[index].promptTokens = index == 0 ? usage?["prompt_tokens"]?.int : 0
      result[index].completionTokens = index == 0 ? usage?["completion_tokens"]?.int : 0
    }
    return result
  }

  struct ParseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = TerminalText.visible(description, layout: .singleLine) }
  }

  // MARK: Probe

  /// Checks the server before the first request: reachable, key accepted, model served. Throws an `AssayError`
  /// that names the flag to fix.
  public func probe(model: String) async throws(AssayError) -> ServerInfo {
    let url = "\(baseURL)/models"
    switch await send(method: .GET, url: url, body: nil, timeout: min(timeout, 15)) {
    case .cancelled:
      throw AssayError(.interrupted, "interrupted while checking the server at \(baseURL)")
    case .transport(let message):
      throw AssayError(
        .unreachableServer,
        "cannot reach the model server at \(baseURL) (GET \(url): \(message)) - while checking the server before the first request",
        fix: "start the server, or correct --base-url (it usually ends in /v1, e.g. http://127.0.0.1:8000/v1)")
    case .response(let status, _, let body):
      if status == 401 || status == 403 {
        throw AssayError(
          .unreachableServer, "the server at \(baseURL) refused the API key (HTTP \(status) from GET \(url))",
          fix: "pass the right key with --api-key or OPENAI_API_KEY")
      }
      guard status == 200 else {
        if status == 404 {
          logger.warning("the server has no /models endpoint; cannot check the model name", metadata: ["url": "\(url)"])
          return ServerInfo(models: [])
        }
        throw AssayError(
          .unreachableServer,
          "the server at \(baseURL) answered HTTP \(status) to GET \(url): \(String(decoding: body.prefix(300), as: UTF8.self))",
          fix: "check --base-url and that the server is healthy")
      }
      let entries =
        ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])
        .flatMap { $0["data"] as? [[String: Any]] } ?? []
      let models = entries.compactMap { $0["id"] as? String }
      if !models.isEmpty && !models.contains(model) {
        throw AssayError(
          .unknownModel,
          "the server at \(baseURL) does not serve model '\(model)' (from --model); it serves: \(models.joined(separator: ", "))",
          fix: "pass --model with one of the served names")
      }
      let entry = entries.first { $0["id"] as? String == model }
      return ServerInfo(models: models, served: ServerInfo.served(entry), contextWindow: ServerInfo.contextWindow(entry))
    }
  }
}

/// What the capability probe learned about a server.
public struct ServerInfo: Sendable, Equatable {
  /// Model ids from `/v1/models`.
  public var models: [String]
  /// What `/v1/models` says about the model beyond its name, as canonical JSON (see `served(_:)`); nil if nothing.
  public var served: String? = nil
  /// The context window in tokens the server states for the model (see `contextWindow(_:)`); nil if none.
  public var contextWindow: Int? = nil
}

extension OpenAIClient {
  /// Checks, with one tiny request, that the server returns prompt log-probabilities (`/v1/completions` with
  /// `echo` and `logprobs`), which log-likelihood suites need; throws naming the suites and the alternatives.
  public func checkPromptLogprobs(
    model: String, neededBy suites: [String], alternatives: [String] = []
  ) async throws(AssayError) {
    let text = "The capital of France is Paris"
    let request = ModelRequest(model: model, prompt: .completion(text), maxTokens: 1, temperature: 0, logprobs: 1, echo: true)
    let fix = "use a server that supports echo with logprobs on /v1/completions (llama.cpp's llama-cpp-python server, vLLM), "
      + (alternatives.isEmpty
        ? "or run a generative suite of the same family"
        : "or run the generative form: --suite \(alternatives.joined(separator: ","))")
    switch await generate(request) {
    case .failure(let failure):
      throw AssayError(
        .serverError,
        "\(suites.joined(separator: ", ")) rank choices by log-likelihood, but the server at \(baseURL) failed a completion "
          + "request with echo and logprobs: \(failure.message) - while checking, before the first item",
        fix: fix)
    case .success(let response):
      guard let logprobs = response.logprobs,
        ChoiceRanking.continuationLogprob(logprobs, contextLength: 20, promptLength: text.unicodeScalars.count) != nil
      else {
        throw AssayError(
          .serverError,
          "\(suites.joined(separator: ", ")) rank choices by log-likelihood, but the server at \(baseURL) returns no "
            + "prompt log-probabilities (echo + logprobs on /v1/completions) - checked before the first item",
          fix: fix)
      }
    }
  }
}
