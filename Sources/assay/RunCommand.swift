import ArgumentParser
import AssayCore
import AssayReport
import AssayRunner
import AssayRuntime
import AssaySandbox
import AssayStore
import AssaySuites
import Foundation
import Logging

/// `assay run`: evaluate a model on suites, resumably.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run suites against a model and print the report.",
    discussion: """
      Examples:
        # A server you already run (any OpenAI-compatible server):
        assay run --base-url http://127.0.0.1:8000/v1 --model Llama-3.1-8B-Instruct --suite mgsm
        # Let Assay launch llama.cpp on a GGUF file (on a free 127.0.0.1 port; stopped afterwards):
        assay run --runtime llama.cpp --model ../shared/models/tiny-llama3-random.gguf --suite mgsm --variant de --limit 10
        # Several suites, raw completion prompts, 32 requests in flight:
        assay run --base-url http://127.0.0.1:8000/v1 --model base-model --suite gsm8k,mgsm --prompt-mode completion --concurrency 32
        # Safety (harmful prompts; a content warning is printed): answers judged by Llama Guard 3 served elsewhere:
        assay run --base-url http://127.0.0.1:8000/v1 --model my-model --preset safety --guard-base-url http://127.0.0.1:8001/v1 --guard-model llama-guard-3-8b

      Resuming: every scored sample is committed to the database as it arrives. Running the same command again continues the newest run with the same configuration: samples already scored are kept, failed requests are retried, and nothing answered before is sent again. Use --fresh to start a new run (answers still come from the response cache; --no-cache bypasses it). The configuration includes the server: another --base-url (or another model behind the same name, as /v1/models reports it) is another run, and answers cached from one server are not taken for another unless --reuse-answers-from-any-server is given. A server Assay launches is identified by its weights, not its port.

      One process at a time works on a run: a second `assay run` of the same configuration on the same database stops with exit code 4 and names the process that holds it (the lock goes when that process exits, even if killed). To spread a run over processes, use --shard.

      Exit codes: 0 done (failed requests are reported, not fatal); 2 bad input; 3 model server problem; 4 database (including: the run is in use by another process); 130 interrupted.
      """)

  @OptionGroup var suiteOptions: SuiteOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup(title: "Safety suites") var guardOptions: GuardOptions

  @Option(help: ArgumentHelp("Suite id(s), comma-separated or repeated; `suite/variant` picks one variant (see `assay suites`).", valueName: "id"))
  var suite: [String] = []

  @Option(help: ArgumentHelp(
    "Run a preset: the suites and configurations of a published table (llama3.1-instruct, llama3.1-base; see `assay presets`).",
    valueName: "id"))
  var preset: String?

  @Option(help: ArgumentHelp("Variant id(s) of the one suite, e.g. de,fr (default: all).", valueName: "id"))
  var variant: [String] = []

  @Option(help: ArgumentHelp("Served model name; with --runtime llama.cpp, the .gguf path.", valueName: "name"))
  var model: String

  @Option(name: .customLong("base-url"), help: ArgumentHelp("OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.", valueName: "url"))
  var baseURL: String?

  @Option(help: ArgumentHelp(
    "Launch a server for the run: llama.cpp (--model FILE.gguf) or vllm (--model DIR or a Hugging Face id); omit to use --base-url.",
    valueName: "runtime"))
  var runtime: RuntimeFlag?

  /// The runtime to launch (`--runtime`, once `validate()` has accepted it); nil for a server at `--base-url`.
  var launched: RuntimeKind? { runtime?.kind }

  @Option(name: .customLong("api-key"), help: ArgumentHelp("API key (default: $OPENAI_API_KEY); never stored or logged.", valueName: "key"))
  var apiKey: String?

  @Option(help: "Only the first N samples of each variant.")
  var limit: Int?

  @Option(help: "Requests kept in flight at all times (with --adaptive-concurrency: the starting point).")
  var concurrency: Int = 16

  @Flag(name: .customLong("adaptive-concurrency"), help: ArgumentHelp(
    "Adapt the requests in flight to the server: start at --concurrency, grow while latency holds, halve on HTTP 429."))
  var adaptiveConcurrency = false

  @Option(name: .customLong("max-concurrency"), help: ArgumentHelp(
    "With --adaptive-concurrency: the most requests in flight (default: 8 x --concurrency, at most 1024).", valueName: "n"))
  var maxConcurrency: Int?

  @Option(name: .customLong("prompts-per-request"), help: ArgumentHelp(
    "Log-likelihood suites: send up to N choices in one /v1/completions call (\"prompt\": [...], as vLLM takes); default 16 with --runtime vllm or llama.cpp (the options of one item then share their prefix in one evaluation), else 1.",
    valueName: "n"))
  var promptsPerRequest: Int?

  @Option(help: ArgumentHelp(
    "Run shard I of N (I from 0): a deterministic share of the work, balanced by expected tokens; combine the shard databases with `assay merge`.",
    valueName: "I/N"))
  var shard: String?

  @Option(name: .customLong("perf-out"), help: ArgumentHelp(
    "Write the request phase's figures as JSON: requests, seconds, requests/s, mean in flight, harness CPU ms per request, peak memory.",
    valueName: "file"))
  var perfOut: String?

  @Option(name: .customLong("tensor-parallel"), help: ArgumentHelp("--runtime vllm: GPUs to shard the model over (vllm serve --tensor-parallel-size).", valueName: "n"))
  var tensorParallel: Int = 1

  @Option(name: .customLong("vllm-arg"), help: ArgumentHelp(
    "--runtime vllm: one more argument for `vllm serve` (repeat it), e.g. --vllm-arg=--max-model-len --vllm-arg=8192.", valueName: "arg"))
  var vllmArguments: [String] = []

  @Option(name: .customLong("prompt-mode"), help: "chat (the server's chat template) or completion (raw text).")
  var promptMode: PromptMode?

  @Option(name: .customLong("system-prompt"), help: "A system message for chat mode (overrides the suite's).")
  var systemPrompt: String?

  @Option(name: .customLong("fewshot-style"), help: ArgumentHelp(
    "text (exemplars inside one prompt) or turns (each exemplar a user/assistant turn, chat mode); default: the suite's.",
    valueName: "style"))
  var fewshotStyle: FewShotStyle?

  @Option(name: .customLong("num-fewshot"), help: ArgumentHelp(
    "Use at most N exemplars (0 also drops a few-shot prompt file); recorded, and reported against published shots.",
    valueName: "n"))
  var numFewshot: Int?

  @Option(name: .customLong("max-tokens"), help: "Override the suites' max_tokens.")
  var maxTokens: Int?

  @Option(help: "Override the suites' sampling temperature.")
  var temperature: Double?

  @Option(name: .customLong("top-p"), help: "Override the suites' nucleus sampling mass.")
  var topP: Double?

  @Option(help: "Sampling seed sent with every request.")
  var seed: Int?

  @Option(name: .customLong("request-timeout"), help: "Seconds before one request attempt is abandoned and retried.")
  var requestTimeout: Double = 600

  @Option(name: .customLong("max-retries"), help: "Retries per request on 429, 5xx, timeouts and dropped connections.")
  var maxRetries: Int = 5

  @Option(name: .customLong("retry-base-delay"), help: ArgumentHelp("First backoff ceiling in seconds (doubles per retry, with jitter).", visibility: .hidden))
  var retryBaseDelay: Double = 1

  @Option(name: .customLong("ctx-size"), help: "Context window for --runtime llama.cpp (0: the model's own; longer prompts are refused).")
  var contextSize: Int = 0

  @Option(name: .customLong("startup-timeout"), help: "Seconds to wait for a launched server to answer.")
  var startupTimeout: Double = 180

  @Flag(help: "Start a new run even if one with the same configuration exists.")
  var fresh = false

  @Flag(name: .customLong("no-cache"), help: "Send every request, ignoring the response cache.")
  var noCache = false

  @Flag(name: .customLong("reuse-answers-from-any-server"), help: ArgumentHelp(
    "Resume a run, and take cached answers, whatever server gave them. By default both are tied to the server: --base-url plus what /v1/models says about the model, or the model file's sha256 (--runtime llama.cpp), or the model and --vllm-arg values (--runtime vllm). Only for servers known to serve the same weights the same way."))
  var reuseAnswersFromAnyServer = false

  @Option(help: "Report format printed at the end: markdown or json.")
  var format: ReportFormat = .markdown

  @Option(name: .customLong("judge-model"), help: ArgumentHelp(
    "Judge suites (mt-bench): the judge's served model name; the --model value judges with the model itself.", valueName: "name"))
  var judgeModel: String?

  @Option(name: .customLong("judge-base-url"), help: ArgumentHelp(
    "Judge suites: the judge's OpenAI-compatible endpoint (default: the model's own server).", valueName: "url"))
  var judgeBaseURL: String?

  @Option(name: .customLong("judge-api-key"), help: ArgumentHelp(
    "API key for --judge-base-url (default: $OPENAI_API_KEY); never stored or logged.", valueName: "key"))
  var judgeAPIKey: String?

  @Option(name: .customLong("judge-max-tokens"), help: ArgumentHelp(
    "Judge suites: cap the judge's generated tokens below the suite's (Arena-Hard 4096, MT-Bench 2048). Verdicts come at the end of a judgment, so a low cap leaves more replies without one; it bounds the cost of a judge that rambles.", valueName: "n"))
  var judgeMaxTokens: Int?

  @Option(name: .customLong("needle-lengths"), help: ArgumentHelp(
    "Needle suites: the context lengths in the model's tokens, replacing the suites' grid: a list (1k,4k,8000,window) or a range FROM..TO/COUNT (2000..window/10, Meta's 10 lengths). `window` is the model's window less the answer's tokens; a length that does not fit is refused before anything is sent.", valueName: "list"))
  var needleLengths: String?

  @Option(name: .customLong("needle-depths"), help: ArgumentHelp(
    "Needle suites: where the (first) needle goes, in percent of the context (0,25,50,75,100).", valueName: "list"))
  var needleDepths: String?

  @Option(name: .customLong("context-window"), help: ArgumentHelp(
    "Needle suites: the model's context window in tokens, when the server does not state it (vLLM and llama.cpp do).", valueName: "n"))
  var contextWindow: Int?

  @Option(name: .customLong("exec-workers"), help: "Code suites: programs run at once in the sandbox (default: the number of cores).")
  var execWorkers: Int?

  @Flag(name: .customLong("follow-redirects"), help: ArgumentHelp(
    "Follow redirects to other servers (prompts and the API key go there too); without it only redirects within the same scheme, host and port are followed."))
  var followRedirects = false

  @Flag(name: .customLong("allow-unisolated-code"), help: ArgumentHelp(
    "Code suites: run even where neither bubblewrap's pid namespace nor root is available, although a sample's daemon can then outlive it and forge later verdicts."))
  var allowUnisolatedCode = false

  @Flag(name: .shortAndLong, help: "Log more (retries, server launch).")
  var verbose = false

  func validate() throws {
    if suite.isEmpty && preset == nil {
      throw ValidationError("--suite or --preset is required (list them with `assay suites` and `assay presets`)")
    }
    if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    switch (baseURL, runtime) {
    case (nil, nil):
      throw ValidationError("name a model server: --base-url http://HOST:PORT/v1, or --runtime llama.cpp with --model FILE.gguf")
    case (.some, .some):
      throw ValidationError("--base-url and --runtime exclude each other: use --base-url for a running server, --runtime to launch one")
    case (nil, .some(let flag)) where flag.kind == nil:
      throw ValidationError("unknown --runtime '\(flag.text)'; supported: \(RuntimeKind.launchable.map(\.rawValue).joined(separator: ", "))")
    default: break
    }
    if let maxConcurrency, maxConcurrency < concurrency {
      throw ValidationError("--max-concurrency (\(maxConcurrency)) must be at least --concurrency (\(concurrency))")
    }
    if let promptsPerRequest, promptsPerRequest < 1 { throw ValidationError("--prompts-per-request must be at least 1") }
    if tensorParallel < 1 { throw ValidationError("--tensor-parallel must be at least 1") }
    if launched != .vllm && (tensorParallel != 1 || !vllmArguments.isEmpty) {
      throw ValidationError("--tensor-parallel and --vllm-arg go with --runtime vllm")
    }
    if let shard {
      do { _ = try ShardSpec(parsing: shard) } catch { throw ValidationError("\(error.message); \(error.fix ?? "")") }
    }
    if let baseURL, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
      throw ValidationError("--base-url must start with http:// or https:// (got '\(baseURL)')")
    }
  }

  func run() async throws {
    var logger = Logger(label: "assay")
    logger.logLevel = verbose ? .debug : .warning
    // Everything that can be checked without the server is checked first.
    try checkLimits()
    _ = try needleOverrides()
    let catalog = try suiteOptions.catalog()
    var tasks = suite.isEmpty ? [] : try suiteOptions.loadTasks(suites: suite, variants: variant, catalog: catalog)
    let chosenPreset = try preset.map { (id: String) throws(AssayError) -> Preset in try suiteOptions.preset(named: id) }
    var presetOutcomes: [PresetEntryOutcome]?
    if let chosenPreset {
      // A preset runs what the data allows: a variant whose data is absent is skipped, said here and in the report.
      let selection = try suiteOptions.loadTasks(preset: chosenPreset, existing: tasks, catalog: catalog)
      tasks += selection.loaded
      for skipped in selection.skipped {
        Output.error("skipped \(skipped.entry.suite)/\(skipped.variant) of preset \(chosenPreset.id) (reproduces \(skipped.entry.reproduces.joined(separator: ", "))): "
          + "\(skipped.error.message)\n  fix: \(skipped.error.fix ?? "see `assay data fetch --help`")\n")
      }
      presetOutcomes = Self.outcomes(of: chosenPreset, tasks: tasks, skipped: selection.skipped)
      if tasks.isEmpty {
        throw AssayError(
          .missingData, "preset \(chosenPreset.id): the data of every suite is absent, so nothing can run",
          fix: "fetch the data (`assay data fetch`), or point --data-dir or ASSAY_DATA at the folder that holds it")
      }
    }
    // Generative suites of the families ranked by log-likelihood, named if the server cannot rank.
    let rankedFamilies = Set(tasks.filter { $0.suite.taskType == .rankChoices }.map(\.suite.family))
    let rankAlternatives = catalog.suites.values
      .filter { rankedFamilies.contains($0.family) && $0.taskType == .generate }.map(\.id).sorted()
    for task in tasks where !task.suite.isRunnable(task.variant) {
      throw AssayError(
        .invalidArgument,
        "suite '\(task.suite.id)' (from --suite) is a \(task.suite.taskType.rawValue) task; its data loads, but Assay cannot score "
          + "\(task.suite.isRunnable ? "its variant \(task.variant.id)" : "it") yet (\(task.variant.params["unsupported"] ?? task.suite.description))",
        fix: "`assay suites` lists what runs; `assay validate --suite \(task.suite.id) --show-prompts` shows its prompts")
    }
    // Code suites: the sandbox and every toolchain they need are checked before any request is sent; IFEval's
    // checkers load their resources (and check every item's instructions) before then too.
    let codeGrader = try makeGrader(tasks)
    defer { codeGrader?.checker.shutdown() }
    var graders: [TaskType: any ResponseGrader] = [:]
    if let codeGrader { graders[.code] = codeGrader }
    if tasks.contains(where: { $0.suite.taskType == .functionCall }) { graders[.functionCall] = FunctionCallGrader() }
    if tasks.contains(where: { $0.suite.taskType == .needle }) { graders[.needle] = NeedleGrader() }
    if tasks.contains(where: { $0.suite.taskType == .instructionFollowing }) {
      graders[.instructionFollowing] = try InstructionFollowingSetup.grader(tasks: tasks, dataRoot: suiteOptions.dataRoot)
    }
    let grader: TaskGraders? = graders.isEmpty ? nil : TaskGraders(graders)
    if let judged = tasks.first(where: { $0.suite.taskType == .judge }), judgeModel == nil {
      throw AssayError(.invalidArgument, "\(judged.id) is graded by an LLM judge, and no judge was named",
        fix: "pass --judge-model NAME (with --judge-base-url URL when the judge is served elsewhere); --judge-model \(model) lets the model judge itself")
    }
    try checkSafety(tasks)
    let key = apiKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"]

    let work = Task { () async throws -> String in
      if launched == .llamaCpp {
        let launcher = LlamaCppLauncher(
          modelPath: model, contextSize: contextSize,
          logDirectory: ((storeOptions.db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("logs"),
          startupTimeout: startupTimeout)
        FileHandle.standardError.write(Data("starting llama.cpp server for \(model) ...\n".utf8))
        return try await launcher.withServer(logger: logger) { url, name in
          try await evaluate(
            tasks: tasks, preset: chosenPreset, presetOutcomes: presetOutcomes, rankAlternatives: rankAlternatives,
            baseURL: url, modelName: name, runtime: .llamaCpp, apiKey: nil, grader: grader, logger: logger)
        }
      }
      if launched == .vllm {
        let launcher = VLLMLauncher(
          model: model, tensorParallel: tensorParallel, extraArguments: vllmArguments,
          logDirectory: ((storeOptions.db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("logs"),
          startupTimeout: startupTimeout)
        FileHandle.standardError.write(Data("starting vllm serve for \(model) ...\n".utf8))
        return try await launcher.withServer(logger: logger) { url, name in
          try await evaluate(
            tasks: tasks, preset: chosenPreset, presetOutcomes: presetOutcomes, rankAlternatives: rankAlternatives,
            baseURL: url, modelName: name, runtime: .vllm, apiKey: nil, grader: grader, logger: logger)
        }
      }
      return try await evaluate(
        tasks: tasks, preset: chosenPreset, presetOutcomes: presetOutcomes, rankAlternatives: rankAlternatives,
        baseURL: baseURL!, modelName: model, runtime: .openAICompatible, apiKey: key, grader: grader, logger: logger)
    }
    let trap = SignalTrap { _ in work.cancel() }
    defer { trap.cancel() }
    let output: String
    do {
      output = try await work.value
    } catch is CancellationError {
      throw AssayError(.interrupted, "interrupted; every scored sample is saved", fix: "run the same command again to continue")
    }
    Output.report(output, format: format)
  }

  private func evaluate(
    tasks: [EvalTask], preset: Preset?, presetOutcomes: [PresetEntryOutcome]?, rankAlternatives: [String], baseURL: String,
    modelName: String, runtime: RuntimeKind, apiKey: String?, grader: TaskGraders?, logger: Logger
  ) async throws -> String {
    let shardSpec = try shard.map { (text: String) throws(AssayError) -> ShardSpec in try ShardSpec(parsing: text) }
    let adaptive = adaptiveConcurrency
      ? AdaptiveConcurrency(initial: concurrency, maximum: maxConcurrency ?? min(1024, max(concurrency, concurrency * 8))) : nil
    let scheduling = RunScheduling(
      adaptive: adaptive, promptsPerRequest: promptsPerRequest ?? runtime.defaultPromptsPerRequest, shard: shardSpec)
    return try await OpenAIClient.withClient(
      baseURL: baseURL, apiKey: apiKey, timeout: requestTimeout,
      retry: RetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay), maxConnections: adaptive?.maximum ?? concurrency,
      logger: logger, rateLimits: adaptive, followRedirects: followRedirects
    ) { client in
      let info = try await client.probe(model: modelName)
      let server = try serverIdentity(runtime: runtime, baseURL: baseURL, info: info)
      let ranked = tasks.filter { $0.suite.taskType == .rankChoices }.map(\.suite.id)
        .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      if !ranked.isEmpty {
        try await client.checkPromptLogprobs(model: modelName, neededBy: ranked, alternatives: rankAlternatives)
      }
      let options = GenerationOptions(
        model: modelName, mode: promptMode ?? preset?.promptMode, systemPrompt: systemPrompt, maxTokens: maxTokens,
        temperature: temperature, topP: topP, seed: seed, fewshotStyle: fewshotStyle, numFewshot: numFewshot)
      let tasks = try await needleContexts(tasks, client: client, info: info, options: options)
      let config = RunConfiguration(
        model: modelName, runtime: runtime, tasks: tasks.map { .init($0) }, options: options, limit: limit,
        preset: preset?.id, shard: shardSpec?.description,
        judge: tasks.contains { $0.suite.taskType == .judge || $0.suite.taskType == .safety }
          ? judgeModel.map {
            RunConfiguration.judge($0, model: model, servedName: modelName, judgeBaseURL: judgeBaseURL, maxTokensCap: judgeMaxTokens)
          } : nil,
        guard: tasks.contains { $0.suite.scorer.safety?.prompts == .harmful }
          ? guardOptions.identity(model: model, servedName: modelName) : nil,
        server: server)
      let (configJSON, configHash) = try config.identity()
      let store = try SQLiteStore(path: storeOptions.db)
      // One process per configuration and per run (see RunLock); held until this function returns.
      let configLock = try RunLock.acquire(
        database: storeOptions.db, name: "config-" + configHash, what: "a run with this configuration")
      defer { withExtendedLifetime(configLock) {} }
      store.scopeCache(to: try cacheScope(server: server, baseURL: baseURL, runtime: runtime))
      let plannedTasks = tasks.map {
        RunTaskRecord(task: $0, planned: min(limit ?? Int.max, $0.samples.count), settings: $0.settings(options: options, limit: limit))
      }
      let runID: String
      var runLock: RunLock?
      defer { withExtendedLifetime(runLock) {} }
      if !fresh, let existing = try resumable(store: store, config: config, configHash: configHash, baseURL: baseURL, runtime: runtime) {
        runID = existing.id
        runLock = try RunLock.acquire(database: storeOptions.db, name: "run-" + runID, what: "run \(runID)")
        try store.resumeRun(id: runID, baseURL: baseURL, tasks: plannedTasks)
        if existing.configHash != configHash && !reuseAnswersFromAnyServer {
          // A run from before server identities, against this same base URL: it carries on under the new identity.
          try store.updateConfiguration(runID: runID, config: configJSON, configHash: configHash)
        }
        FileHandle.standardError.write(Data("resuming run \(runID) (\(existing.status) before; --fresh starts a new one)\n".utf8))
      } else {
        runID = Self.newRunID()
        runLock = try RunLock.acquire(database: storeOptions.db, name: "run-" + runID, what: "run \(runID)")
        try store.createRun(
          RunRecord(
            id: runID, model: modelName, runtime: runtime.rawValue, baseURL: baseURL, harnessVersion: AssayVersion.current,
            config: configJSON, configHash: configHash, startedAt: SQLiteStore.timestamp()),
          tasks: plannedTasks)
        FileHandle.standardError.write(Data(
          "run \(runID): \(tasks.count) task(s)\(shardSpec.map { ", shard \($0) (`assay merge` combines the shards)" } ?? ""), database \(storeOptions.db)\n".utf8))
      }
      for task in tasks where task.exemplarRows != nil && task.shots(options) > 0 {
        FileHandle.standardError.write(Data(
          "note: \(task.id): the \(task.shots(options)) exemplars come from the evaluated file; each item's own row is left out (the next row stands in)\n".utf8))
      }
      let runStore: any ResultStore = noCache ? NoCacheStore(base: store) : store
      return try await withJudge(
        client: client, baseURL: baseURL, apiKey: apiKey, modelName: modelName, store: runStore, logger: logger
      ) { judge in try await withGuard(
        tasks: tasks, baseURL: baseURL, apiKey: apiKey, modelName: modelName, store: runStore, judge: judge, logger: logger
      ) { guardGrader in
        var graders = grader?.graders ?? [:]
        if let judge { graders[.judge] = judge }
        if let guardGrader { graders[.safety] = guardGrader }
        let runner = EvalRunner(
          runtime: client, store: runStore, concurrency: concurrency, logger: logger,
          grader: graders.isEmpty ? nil : TaskGraders(graders), scheduling: scheduling)
        let label = (tasks.count == 1 ? tasks[0].id : "\(tasks.count) tasks") + (shardSpec.map { " (shard \($0))" } ?? "")
        do {
          let before = ProcessUsage.now()
          let tally = try await runner.run(
            runID: runID, tasks: tasks, options: options, limit: limit, progress: TerminalProgress(label: label))
          if let perfOut {
            let usage = ProcessUsage.now().since(before)
            try RunPerformance(
              tally: tally, cpuSeconds: usage.cpuSeconds, peakRSSBytes: usage.peakRSSBytes, concurrency: concurrency,
              adaptive: adaptive
            ).write(to: perfOut)
          }
          if let adaptive, !adaptive.history.isEmpty {
            let limits = adaptive.history
            FileHandle.standardError.write(Data(
              "adaptive concurrency: started at \(concurrency), ended at \(limits.last!) (between \(limits.min()!) and \(limits.max()!), \(limits.count) changes)\n".utf8))
          }
          try store.finishRun(id: runID, status: .finished, at: SQLiteStore.timestamp())
          FileHandle.standardError.write(
            Data("done: \(tally.sent) sent, \(tally.fromCache) from cache, \(tally.alreadyScored) already scored, \(tally.failed) failed\n".utf8))
        } catch {
          try? store.finishRun(id: runID, status: Task.isCancelled ? .interrupted : .failed, at: SQLiteStore.timestamp())
          throw error
        }
        return try ReportBuilder.render(
          store: store, run: runID, format: format, referenceModel: preset?.referenceModel, presetOutcomes: presetOutcomes)
      } }
    }
  }

  /// Runs `body` with the judge grader for the run's judge suites (nil when there are none): on its own client
  /// when --judge-base-url names another server, else on the model's server (`--judge-model` equal to `--model` is
  /// the model judging itself, under the name its server gives it). Either way the judge has its own connection
  /// pool: sharing the model's, a judge request waited behind every answer being generated and timed out
  /// (`getConnectionFromPoolTimeout`) once answers took longer than the connect timeout.
  private func withJudge<T: Sendable>(
    client: OpenAIClient, baseURL: String, apiKey: String?, modelName: String, store: any ResultStore, logger: Logger,
    _ body: @Sendable (JudgeGrader?) async throws -> T
  ) async throws -> T {
    guard let judgeModel else { return try await body(nil) }
    let name = judgeModel == model ? modelName : judgeModel
    guard let judgeBaseURL else {
      return try await OpenAIClient.withClient(
        baseURL: baseURL, apiKey: apiKey, timeout: requestTimeout,
        retry: RetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay), maxConnections: concurrency, logger: logger,
        followRedirects: followRedirects
      ) { judgeClient in
        _ = try await judgeClient.probe(model: name)
        return try await body(JudgeGrader(judge: judgeClient, model: name, store: store, logger: logger, maxTokensCap: judgeMaxTokens))
      }
    }
    return try await OpenAIClient.withClient(
      baseURL: judgeBaseURL, apiKey: judgeAPIKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"],
      timeout: requestTimeout, retry: RetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay),
      maxConnections: concurrency, logger: logger, followRedirects: followRedirects
    ) { judgeClient in
      let info = try await judgeClient.probe(model: name)
      let judgeStore = try judgeStore(judgeBaseURL: judgeBaseURL, info: info, runStore: store)
      return try await body(JudgeGrader(judge: judgeClient, model: name, store: judgeStore, logger: logger, maxTokensCap: judgeMaxTokens))
    }
  }

  static func newRunID() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return "\(formatter.string(from: Date()))-\(String(format: "%04x", UInt16.random(in: 0...UInt16.max)))"
  }
}

/// The `--runtime` value as given: a runtime Assay launches, or a name that `validate()` refuses, listing them.
struct RuntimeFlag: ExpressibleByArgument {
  /// The value as typed.
  var text: String
  /// The runtime it names, if Assay can launch it.
  var kind: RuntimeKind? { RuntimeKind(rawValue: text).flatMap { $0.isLaunched ? $0 : nil } }

  init(argument: String) { text = argument }
}

extension PromptMode: ExpressibleByArgument {}
extension FewShotStyle: ExpressibleByArgument {}
