import ArgumentParser
import AssayCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `assay-mock-server`: a local OpenAI-compatible server with fixed latency and injected faults, for fault,
/// resume and throughput tests. Listens on 127.0.0.1 only. Answers are a deterministic function of the request
/// body, so an interrupted and resumed run must score exactly like an uninterrupted one.
@main
struct MockServer: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assay-mock-server",
    abstract: "A fault-injecting OpenAI-compatible server on 127.0.0.1 for tests and benchmarks.",
    discussion: """
      GET /v1/models lists --model; GET /health answers 200 (as vLLM). POST /v1/chat/completions and /v1/completions answer
      "... The answer is N." with N derived from the body's sha256. GET /stats returns counters:
      {"requests", "completed", "faults": {kind: n}, "completed_by_body": {sha256: n}, "max_in_flight",
      "mean_in_flight", "busy_seconds"} (in flight: answers being delayed, averaged from the first request to the
      last answer). /v1/completions takes a list of prompts (one choice each, as vLLM) and answers echo + logprobs
      with made-up prompt log-probabilities, so log-likelihood suites run against it.
      Prints "listening on http://127.0.0.1:PORT/v1" once ready.
      """)

  @Option(help: "Port (0 picks a free one).")
  var port: Int = 0

  @Option(help: "Served model name.")
  var model: String = "mock-model"

  @Option(name: .customLong("latency-ms"), help: "Delay before each answer.")
  var latencyMs: Int = 0

  @Option(name: .customLong("fault-rate"), help: "Share of requests that get a fault (0...1).")
  var faultRate: Double = 0

  @Option(help: "Fault kinds to draw from: 500, 429, hang, drop.")
  var faults: String = "500,429,hang,drop"

  @Option(name: .customLong("hang-seconds"), help: "How long a `hang` fault waits before closing the connection.")
  var hangSeconds: Double = 30

  @Flag(name: .customLong("no-prompt-logprobs"), help: "Ignore echo + logprobs (as servers without prompt log-probabilities do).")
  var noPromptLogprobs = false

  @Option(help: "Answer 429 to requests beyond this many in flight (a server at capacity).")
  var capacity: Int?

  @Option(name: .customLong("content-json"), help: ArgumentHelp(
    "Answer every generation with this raw JSON as message.content (chat) or text (completions), e.g. null or 42.",
    valueName: "json"))
  var contentJSON: String?

  @Option(name: .customLong("redirect-to"), help: ArgumentHelp(
    "Answer every /v1 request with 307 to this origin (e.g. http://127.0.0.1:PORT) and the same path.", valueName: "url"))
  var redirectTo: String?

  @Option(name: .customLong("error-body"), help: ArgumentHelp(
    "The raw body of injected 500 faults (default: a JSON error); escape sequences are sent as they are.", valueName: "text"))
  var errorBody: String?

  @Option(help: "Seed for fault draws.")
  var seed: UInt64 = 1

  @Option(name: .customLong("threads"), help: "Event loop threads.")
  var threads: Int = 1

  @Option(help: ArgumentHelp("Host to listen on (tests and benchmarks stay on 127.0.0.1).", visibility: .hidden))
  var host: String = "127.0.0.1"

  func run() throws {
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    let kinds = faults.split(separator: ",").compactMap { FaultKind(rawValue: String($0)) }
    let state = ServerState(
      model: model, latency: .milliseconds(Int64(latencyMs)), faultRate: faultRate, kinds: kinds,
      hang: .milliseconds(Int64(hangSeconds * 1000)), seed: seed, capacity: capacity,
      promptLogprobs: !noPromptLogprobs, contentJSON: contentJSON, redirectTo: redirectTo, errorBody: errorBody)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 1024)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
          channel.pipeline.addHandler(MockHandler(state: state))
        }
      }
      .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
    let channel = try bootstrap.bind(host: host, port: port).wait()
    FileHandle.standardOutput.write(Data("listening on http://\(host):\(channel.localAddress!.port!)/v1\n".utf8))
    try channel.closeFuture.wait()
  }
}

/// Kinds of injected faults.
enum FaultKind: String, Sendable {
  case http500 = "500", http429 = "429", hang, drop
}

/// Counters and the fault generator, shared by all connections.
final class ServerState: Sendable {
  let model: String
  let latency: TimeAmount
  let faultRate: Double
  let kinds: [FaultKind]
  let hang: TimeAmount
  let capacity: Int?
  /// Whether echo + logprobs returns the prompt's log-probabilities.
  let promptLogprobs: Bool
  /// Raw JSON for every answer's content or text (faults of a server that answers without text).
  let contentJSON: String?
  /// Origin that every /v1 request is redirected to.
  let redirectTo: String?
  /// Raw body of injected 500s.
  let errorBody: String?
  private let counters = Mutex(Counters())

  struct Counters {
    var requests = 0
    var completed = 0
    var faults: [String: Int] = [:]
    var completedByBody: [String: Int] = [:]
    var rng = SeededGenerator(seed: 0)
    /// Answers being delayed right now, the most at once, and their time integral (for the mean in flight).
    var inFlight = 0
    var maxInFlight = 0
    var inFlightIntegral = 0.0
    var firstStart: ContinuousClock.Instant?
    var lastChange: ContinuousClock.Instant?
  }

  /// An accepted generation request starts its delay.
  func started() {
    counters.withLock { c in
      let now = ContinuousClock.now
      Self.advance(&c, to: now)
      if c.firstStart == nil { c.firstStart = now }
      c.inFlight += 1
      c.maxInFlight = max(c.maxInFlight, c.inFlight)
    }
  }

  private static func advance(_ c: inout Counters, to now: ContinuousClock.Instant) {
    if let last = c.lastChange {
      let d = now - last
      c.inFlightIntegral += Double(c.inFlight) * (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
    c.lastChange = now
  }

  /// The model name as it appears inside a JSON string, and the compact `"model":"NAME"` of a request body.
  let modelJSON: String
  private let modelMarker: [UInt8]

  init(
    model: String, latency: TimeAmount, faultRate: Double, kinds: [FaultKind], hang: TimeAmount, seed: UInt64,
    capacity: Int? = nil, promptLogprobs: Bool = true, contentJSON: String? = nil, redirectTo: String? = nil,
    errorBody: String? = nil
  ) {
    self.model = model
    self.contentJSON = contentJSON
    self.redirectTo = redirectTo
    self.errorBody = errorBody
    self.capacity = capacity
    self.promptLogprobs = promptLogprobs
    let quoted = String(decoding: (try? JSONSerialization.data(withJSONObject: [model], options: [.withoutEscapingSlashes])) ?? Data(), as: UTF8.self)
    modelJSON = String(quoted.dropFirst(2).dropLast(2))
    modelMarker = Array("\"model\":\"\(modelJSON)\"".utf8)
    self.latency = latency
    self.faultRate = faultRate
    self.kinds = kinds
    self.hang = hang
    counters.withLock { $0.rng = SeededGenerator(seed: seed) }
  }

  /// Whether a body can be answered without parsing it: compact JSON (as Assay sends) naming the served model,
  /// with a single prompt. Anything else is parsed.
  func fastPath(_ body: [UInt8]) -> Bool {
    MockHandler.contains(body, modelMarker) && !MockHandler.contains(body, Self.promptList)
  }

  private static let promptList = Array("\"prompt\":[".utf8)

  /// Counts a generation request and draws its fault, if any.
  func drawFault() -> FaultKind? {
    counters.withLock { c in
      c.requests += 1
      // A server at capacity answers 429 (as a rate limiter or a full vLLM queue behind a proxy would).
      if let capacity, c.inFlight >= capacity {
        c.faults["429", default: 0] += 1
        return .http429
      }
      guard faultRate > 0, !kinds.isEmpty else { return nil }
      let draw = Double(c.rng.next() >> 11) / Double(1 << 53)
      guard draw < faultRate else { return nil }
      let kind = kinds[c.rng.index(below: kinds.count)]
      c.faults[kind.rawValue, default: 0] += 1
      return kind
    }
  }

  func completed(bodyHash: String) {
    counters.withLock { c in
      Self.advance(&c, to: .now)
      c.inFlight -= 1
      c.completed += 1
      c.completedByBody[bodyHash, default: 0] += 1
    }
  }

  func statsJSON() -> [UInt8] {
    let snapshot = counters.withLock { $0 }
    var span = 0.0
    if let first = snapshot.firstStart, let last = snapshot.lastChange {
      let d = last - first
      span = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    let object: [String: Any] = [
      "requests": snapshot.requests, "completed": snapshot.completed, "faults": snapshot.faults,
      "completed_by_body": snapshot.completedByBody, "max_in_flight": snapshot.maxInFlight,
      "busy_seconds": span, "mean_in_flight": span > 0 ? snapshot.inFlightIntegral / span : 0,
    ]
    return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
  }
}
