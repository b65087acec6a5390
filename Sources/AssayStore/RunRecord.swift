import AssayCore

/// A run as stored: who was evaluated, on what, with which configuration.
public struct RunRecord: Sendable, Equatable, Codable {
  /// Run id (`20261128-134501-3f9a`).
  public var id: String
  /// Served model name.
  public var model: String
  /// `openai-compatible`, `llama.cpp` or `vllm` (`RuntimeKind`'s raw values; see `runtimeKind`).
  public var runtime: String
  /// The base URL used (a launched server's is ephemeral).
  public var baseURL: String
  /// Assay's version.
  public var harnessVersion: String
  /// The run configuration as canonical JSON (never contains the API key).
  public var config: String
  /// sha256 of `config`; an unfinished run with the same hash is resumed.
  public var configHash: String
  /// ISO 8601 start time.
  public var startedAt: String
  /// ISO 8601 end time, when finished.
  public var finishedAt: String?
  /// Running, finished, interrupted or failed.
  public var status: RunStatus

  /// A run record.
  public init(
    id: String, model: String, runtime: String, baseURL: String, harnessVersion: String, config: String,
    configHash: String, startedAt: String, finishedAt: String? = nil, status: RunStatus = .running
  ) {
    self.id = id
    self.model = model
    self.runtime = runtime
    self.baseURL = baseURL
    self.harnessVersion = harnessVersion
    self.config = config
    self.configHash = configHash
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.status = status
  }

  /// The runtime as a kind; nil for a value Assay never writes.
  public var runtimeKind: RuntimeKind? { RuntimeKind(rawValue: runtime) }
}

/// A task of a run as stored: the suite variant, its hashes and its scorer's pipelines.
public struct RunTaskRecord: Sendable, Equatable, Codable {
  /// `suite/variant`.
  public var taskID: String
  /// Suite id.
  public var suiteID: String
  /// Variant id.
  public var variantID: String
  /// BCP-47 language.
  public var language: String
  /// Dataset license.
  public var license: String
  /// Content hash of prompts and scorer.
  public var contentHash: String
  /// sha256 of the data files, as JSON.
  public var datasetSHA256: String
  /// Samples planned for this run.
  public var planned: Int
  /// Headline pipeline.
  public var primary: String
  /// Pipeline names in order.
  public var pipelines: [String]
  /// What the run used (shots, decoding, prompt mode, samples), when recorded.
  public var settings: TaskSettings?

  /// A record with every field given.
  public init(
    taskID: String, suiteID: String, variantID: String, language: String, license: String, contentHash: String,
    datasetSHA256: String, planned: Int, primary: String, pipelines: [String], settings: TaskSettings? = nil
  ) {
    self.settings = settings
    self.taskID = taskID
    self.suiteID = suiteID
    self.variantID = variantID
    self.language = language
    self.license = license
    self.contentHash = contentHash
    self.datasetSHA256 = datasetSHA256
    self.planned = planned
    self.primary = primary
    self.pipelines = pipelines
  }

  /// The record of a task planned with `planned` samples.
  public init(task: EvalTask, planned: Int, settings: TaskSettings? = nil) {
    self.settings = settings
    taskID = task.id
    suiteID = task.suite.id
    variantID = task.variant.id
    language = task.variant.language
    license = task.suite.license
    contentHash = task.contentHash
    datasetSHA256 = CanonicalJSON.string(task.datasetSHA256)
    self.planned = planned
    primary = task.scorer.primary
    pipelines = task.scorer.pipelineNames
  }
}

/// One stored sample row, as reports read it.
public struct StoredSample: Sendable, Equatable {
  /// `suite/variant`.
  public var taskID: String
  /// 0-based dataset row.
  public var index: Int
  /// Scored or failed.
  public var status: SampleStatus
  /// Prompt as sent.
  public var prompt: String
  /// Normalized target.
  public var target: String
  /// Raw response.
  public var response: String?
  /// Finish reason.
  public var finishReason: String?
  /// Answers by pipeline.
  public var answers: [String: String]
  /// Verdicts by pipeline.
  public var correct: [String: Bool]
  /// Headline score.
  public var score: Double?
  /// Graded values by metric (all of them, since store v4).
  public var values: [String: Double] = [:]
  /// Judgments behind each weighted value (IFEval's instructions per prompt).
  public var weights: [String: Double] = [:]
  /// Last error of a failed request.
  public var error: String?
  /// Attempts made.
  public var attempts: Int
  /// Latency of the successful attempt.
  public var latencyMs: Double?
  /// Tokens.
  public var promptTokens: Int?
  /// Tokens.
  public var completionTokens: Int?
}
