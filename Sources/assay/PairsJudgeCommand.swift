import ArgumentParser
import AssayCore
import AssayRunner
import AssayRuntime
import AssayStore
import AssaySuites
import Foundation
import Logging

/// `assay pairs judge`: an LLM judge's verdicts on a comparison set, stored beside the human raters' so that
/// `assay ratings --llm-judge` reports how often it agrees with them.
struct PairsJudgeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "judge",
    abstract: "Let an LLM judge every item of a comparison set (both orders), for agreement with human raters.",
    discussion: """
      Examples:
        # The model file itself judges, on a llama.cpp server Assay launches:
        assay pairs judge --set q4-vs-q2 --runtime llama.cpp --model smollm2-135m-instruct-Q4_1.gguf
        # A judge you already serve:
        assay pairs judge --set q4-vs-q2 --base-url http://127.0.0.1:8000/v1 --model Llama-3.1-70B-Instruct
        # Then: how often does it agree with the people?
        assay ratings --set q4-vs-q2 --llm-judge llm:smollm2-135m-instruct-Q4_1

      The judge reads each item twice, A's answer first and then B's, with a pairwise judge suite's prompt (--prompt-suite: alpaca-eval, AlpacaEval 2.0's one-token classifier, or arena-hard). Winning both orders wins the item; splitting them is a tie, so a judge that always picks one position is not counted as preferring a model. A reply without a verdict is asked once more; an item with no verdict in either order is stored as a skip, with the replies in its note. Verdicts are saved as they come: running again judges only the items left. The judge does not take a human rater's place (--overlap counts people only).

      Exit codes: 0 done; 2 bad input; 3 the judge's server failed (the verdicts so far are kept); 4 database.
      """)

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var suiteOptions: SuiteOptions

  @Option(help: "The comparison set.")
  var set: String

  @Option(help: ArgumentHelp("The judge's served model name; with --runtime llama.cpp, the .gguf path.", valueName: "name"))
  var model: String

  @Option(name: .customLong("base-url"), help: ArgumentHelp("The judge's OpenAI-compatible endpoint.", valueName: "url"))
  var baseURL: String?

  @Option(help: ArgumentHelp("Launch the judge: llama.cpp (--model FILE.gguf); omit to use --base-url.", valueName: "runtime"))
  var runtime: RuntimeFlag?

  @Option(name: .customLong("api-key"), help: ArgumentHelp("API key (default: $OPENAI_API_KEY); never stored or logged.", valueName: "key"))
  var apiKey: String?

  @Option(name: .customLong("judge-name"), help: ArgumentHelp(
    "The name its verdicts are stored under (default: llm: and the model's name, without folder and .gguf).", valueName: "name"))
  var judgeName: String?

  @Option(name: .customLong("prompt-suite"), help: ArgumentHelp(
    "The pairwise judge suite whose prompt and verdict grammar are used.", valueName: "id"))
  var promptSuite = "alpaca-eval"

  @Option(help: "Items judged at once.")
  var concurrency = 4

  @Option(name: .customLong("ctx-size"), help: "Context window for --runtime llama.cpp (0: the model's own).")
  var contextSize = 0

  @Option(name: .customLong("request-timeout"), help: "Seconds before one request attempt is abandoned and retried.")
  var requestTimeout: Double = 600

  func validate() throws {
    if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    switch (baseURL, runtime) {
    case (nil, nil): throw ValidationError("name the judge's server: --base-url http://HOST:PORT/v1, or --runtime llama.cpp with --model FILE.gguf")
    case (.some, .some): throw ValidationError("--base-url and --runtime exclude each other")
    case (nil, .some(let flag)) where flag.kind != .llamaCpp:
      throw ValidationError("--runtime '\(flag.text)' cannot judge here; supported: llama.cpp (or --base-url for any server)")
    default: break
    }
    if let baseURL, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
      throw ValidationError("--base-url must start with http:// or https:// (got '\(baseURL)')")
    }
    if let judgeName, judgeName.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--judge-name must not be empty") }
  }

  /// The name verdicts are stored under.
  var storedName: String {
    judgeName ?? "llm:" + ((model as NSString).lastPathComponent as NSString).deletingPathExtension
  }

  func run() async throws {
    var logger = Logger(label: "assay")
    logger.logLevel = .warning
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    _ = try store.comparisonSet(set)
    let suite = try suiteOptions.catalog(strict: false).suite(named: promptSuite)
    guard let spec = suite.scorer.judge, spec.mode == "pairwise" else {
      throw AssayError(.invalidArgument, "--prompt-suite \(promptSuite) is not a pairwise judge suite",
        fix: "pass --prompt-suite alpaca-eval or --prompt-suite arena-hard")
    }
    let done = try store.judgedItems(set: set, rater: storedName)
    let items = try store.pairItems(set: set).filter { !done.contains($0.index) }
    let name = storedName
    FileHandle.standardError.write(Data("\(name): \(items.count) items to judge in \(set) (\(done.count) judged before)\n".utf8))
    guard !items.isEmpty else { return Output.text(try summary(store: store, name: name)) }
    let work = Task { () async throws -> Void in
      if runtime?.kind == .llamaCpp {
        let launcher = LlamaCppLauncher(
          modelPath: model, contextSize: contextSize,
          logDirectory: ((storeOptions.db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("logs"))
        FileHandle.standardError.write(Data("starting llama.cpp server for \(model) ...\n".utf8))
        try await launcher.withServer(logger: logger) { url, served in
          try await judgeAll(items, baseURL: url, servedName: served, apiKey: nil, spec: spec, store: store, name: name, logger: logger)
        }
      } else {
        try await judgeAll(
          items, baseURL: baseURL!, servedName: model, apiKey: apiKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"],
          spec: spec, store: store, name: name, logger: logger)
      }
    }
    let trap = SignalTrap { _ in work.cancel() }
    defer { trap.cancel() }
    do {
      try await work.value
    } catch is CancellationError {
      throw AssayError(.interrupted, "interrupted; every verdict so far is saved", fix: "run the same command again to judge the rest")
    }
    Output.text(try summary(store: store, name: name))
  }

  private func judgeAll(
    _ items: [PairItem], baseURL: String, servedName: String, apiKey: String?, spec: JudgeSpec, store: SQLiteStore,
    name: String, logger: Logger
  ) async throws {
    try await OpenAIClient.withClient(
      baseURL: baseURL, apiKey: apiKey, timeout: requestTimeout, retry: RetryPolicy(), maxConnections: concurrency,
      logger: logger
    ) { client in
      _ = try await client.probe(model: servedName)
      let judge = try PairJudge(runtime: client, model: servedName, spec: spec)
      let started = ContinuousClock.now
      var finished = 0
      try await withThrowingTaskGroup(of: (PairItem, JudgedPair, Double).self) { group in
        var pending = items[...]
        func startNext() {
          guard let item = pending.popFirst() else { return }
          group.addTask {
            let begun = ContinuousClock.now
            let judged = try await judge.judge(item)
            return (item, judged, (ContinuousClock.now - begun).seconds * 1000)
          }
        }
        for _ in 0..<concurrency { startNext() }
        while let (item, judged, milliseconds) = try await group.next() {
          try store.recordLLMJudgment(
            set: set, judge: name, item: item.index, verdict: judged.verdict, note: judged.note, latencyMs: milliseconds)
          finished += 1
          if finished % 10 == 0 || finished == items.count {
            let rate = Double(finished) / max(0.001, (ContinuousClock.now - started).seconds)
            FileHandle.standardError.write(Data("judged \(finished)/\(items.count) (\(String(format: "%.2f", rate)) items/s)\n".utf8))
          }
          startNext()
        }
      }
    }
  }

  /// One line per verdict kind, from the stored verdicts.
  private func summary(store: SQLiteStore, name: String) throws -> String {
    let mine = try store.judgments(set: set).filter { $0.rater == name }
    var counts: [Verdict: Int] = [:]
    for judgment in mine { counts[judgment.verdict, default: 0] += 1 }
    let parts = [(Verdict.left, "A better"), (.right, "B better"), (.tie, "tie (orders split)"), (.skip, "no verdict")]
      .map { "\(counts[$0.0] ?? 0) \($0.1)" }
    return "\(name) on \(set): \(mine.count) items: " + parts.joined(separator: ", ")
  }
}
