import AssayCore
import Foundation

/// What identifies a run's configuration; its hash decides which unfinished run a command resumes.
///
/// `identity()` is the one place the configuration is turned into stored bytes and its hash (`assay run` stores them,
/// `assay merge` recomputes them for the unsharded configuration):
///
/// ```swift
/// let (json, hash) = try config.identity()
/// try store.createRun(RunRecord(..., config: json, configHash: hash, ...), tasks: planned)
/// ```
public struct RunConfiguration: Codable, Sendable, Equatable {
  /// A task as identified in the configuration: its id, the hash of its prompts and scorer, and its data files.
  public struct TaskIdentity: Codable, Sendable, Equatable {
    /// `suite/variant`.
    public var task: String
    /// The task's content hash (prompts and scorer).
    public var contentHash: String
    /// sha256 of each data file read, by path.
    public var datasetSHA256: [String: String]

    /// The identity of a loaded task.
    public init(_ task: EvalTask) {
      self.task = task.id
      contentHash = task.contentHash
      datasetSHA256 = task.datasetSHA256
    }

    /// An identity from its parts.
    public init(task: String, contentHash: String, datasetSHA256: [String: String]) {
      self.task = task
      self.contentHash = contentHash
      self.datasetSHA256 = datasetSHA256
    }
  }

  /// The served model name.
  public var model: String
  /// How the server was reached (`openai-compatible`) or launched (`llama.cpp`, `vllm`).
  public var runtime: RuntimeKind
  /// The tasks, in order.
  public var tasks: [TaskIdentity]
  /// Run-wide generation options.
  public var options: GenerationOptions
  /// Only the first N samples of each task.
  public var limit: Int?
  /// The preset the run came from (absent for plain `--suite` runs, so their hashes are unchanged).
  public var preset: String?
  /// `I/N` for one shard of a run (absent otherwise); `assay merge` drops it, so a merged run has the unsharded
  /// run's configuration and hash.
  public var shard: String?
  /// The judge of judge suites (absent otherwise, so other runs' hashes are unchanged).
  public var judge: String?
  /// The guard of safety suites with harmful prompts: format, model and server (absent otherwise).
  public var `guard`: String?
  /// The server the answers come from (absent in runs from before server identities; see ServerIdentity).
  public var server: ServerIdentity?

  /// A configuration from its parts.
  public init(
    model: String, runtime: RuntimeKind, tasks: [TaskIdentity], options: GenerationOptions, limit: Int? = nil,
    preset: String? = nil, shard: String? = nil, judge: String? = nil, guard guardModel: String? = nil,
    server: ServerIdentity? = nil
  ) {
    self.guard = guardModel
    self.model = model
    self.runtime = runtime
    self.tasks = tasks
    self.options = options
    self.limit = limit
    self.preset = preset
    self.shard = shard
    self.judge = judge
    self.server = server
  }

  /// The `judge` of a run with judge suites: the judge's model name (the model's served name when `--judge-model`
  /// repeats `--model`, so a model judging itself is named as its server names it) at the judge's server
  /// (`same server` when `--judge-base-url` is not given).
  public static func judge(
    _ judgeModel: String, model: String, servedName: String, judgeBaseURL: String?, maxTokensCap: Int? = nil
  ) -> String {
    (judgeModel == model ? servedName : judgeModel) + "@" + (judgeBaseURL ?? "same server")
      + (maxTokensCap.map { " (max_tokens <= \($0))" } ?? "")
  }

  /// The configuration as stored (canonical JSON) and its sha256, the run's `config` and `config_hash`. Throws when
  /// it cannot be encoded (a non-finite number); `what` names it in that message.
  public func identity(what: String = "the run configuration") throws(AssayError) -> (json: String, hash: String) {
    let json = try CanonicalJSON.hashableString(self, what: what)
    return (json, SHA256.hex(json))
  }

  /// The configuration a stored run was made with, or nil when `json` is not one (a damaged or foreign row).
  public static func stored(_ json: String) -> RunConfiguration? {
    try? JSONDecoder().decode(RunConfiguration.self, from: Data(json.utf8))
  }

  /// The same configuration without its shard: what the shards of one run share, and a merged run's configuration.
  public var unsharded: RunConfiguration {
    var copy = self
    copy.shard = nil
    return copy
  }

  /// The same configuration without its server: what runs from before server identities were hashed from, and what
  /// `--reuse-answers-from-any-server` compares.
  public var serverless: RunConfiguration {
    var copy = self
    copy.server = nil
    return copy
  }

  /// Whether the stored configuration `json` is this one but for the server (`--reuse-answers-from-any-server`);
  /// false for a row that is not a configuration.
  public func matchesIgnoringServer(stored json: String) -> Bool {
    guard let other = Self.stored(json),
      let theirs = try? other.serverless.identity(what: "a stored configuration"),
      let ours = try? serverless.identity()
    else { return false }
    return theirs.json == ours.json
  }
}
