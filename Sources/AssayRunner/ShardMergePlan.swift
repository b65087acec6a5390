import AssayCore

/// What `assay merge` makes of the shard runs found in its inputs: checks that they come from one configuration and
/// cover 0/N ... N-1/N exactly once (or, with `partial`, what is there), takes the newest run of each index, and
/// works out the merged run's configuration, hash, status and times. `Run` is the caller's record of a stored run.
///
/// ```swift
/// let found = try runs.compactMap { run in try ShardMergePlan.shard(path: path, run: run, config: run.config, ...) }
/// let plan = try ShardMergePlan(found: found, inputs: paths, partial: false)
/// // copy plan.shards' samples into a new run with plan.identity and plan.status
/// ```
public struct ShardMergePlan<Run: Sendable>: Sendable {
  /// One shard run found in an input database.
  public struct Shard: Sendable {
    /// The input database.
    public var path: String
    /// The stored run.
    public var run: Run
    /// Which shard it is.
    public var spec: ShardSpec
    /// Its configuration without the shard.
    public var unsharded: RunConfiguration
    /// When it started (ISO 8601).
    public var startedAt: String
    /// When it ended, if it did.
    public var finishedAt: String?
    /// How it stands.
    public var status: RunStatus
  }

  /// The newest run of each shard index found, by index.
  public let shards: [Shard]
  /// N of `--shard I/N`.
  public let count: Int
  /// Shard indexes with no run in the inputs (empty unless `partial`).
  public let missing: [Int]
  /// The merged run's configuration (the shards' without the shard), as stored, and its hash.
  public let identity: (json: String, hash: String)
  /// The merged run's status: finished only when every shard is there and finished.
  public let status: RunStatus
  /// The earliest start of the shards.
  public let startedAt: String
  /// The latest end of the shards.
  public let finishedAt: String?

  /// The shard run stored as `run` with configuration `config`, or nil when it is not a shard run (no `shard` in
  /// its configuration, or not a configuration at all).
  public static func shard(
    path: String, run: Run, config: String, startedAt: String, finishedAt: String?, status: RunStatus
  ) throws(AssayError) -> Shard? {
    guard let configuration = RunConfiguration.stored(config), let text = configuration.shard else { return nil }
    return Shard(
      path: path, run: run, spec: try ShardSpec(parsing: text), unsharded: configuration.unsharded,
      startedAt: startedAt, finishedAt: finishedAt, status: status)
  }

  /// The plan for the shard runs `found` in `inputs` (in the order found), or an error naming what does not fit
  /// and the fix (exit code 2: nothing is written).
  public init(found: [Shard], inputs: [String], partial: Bool) throws(AssayError) {
    guard !found.isEmpty else {
      throw AssayError(.invalidArgument, "no shard runs in \(inputs.joined(separator: ", "))",
        fix: "merge databases written by `assay run --shard I/N --db FILE`")
    }
    var identities: [(json: String, hash: String)] = []
    for shard in found { identities.append(try shard.unsharded.identity(what: "the configuration of \(shard.path)")) }
    let groups = Dictionary(grouping: found.indices) { identities[$0].hash }.mapValues { $0.map { found[$0] } }
    guard groups.count == 1, let (hash, shards) = groups.first else {
      let described = groups.values.map { runs in
        "\(runs[0].unsharded.model) on \(runs[0].unsharded.tasks.count) task(s)\(runs[0].unsharded.server?.url.map { " at \($0)" } ?? ""): \(runs.map { "\($0.spec) in \($0.path)" }.joined(separator: ", "))"
      }
      throw AssayError(.invalidArgument,
        "the inputs hold shard runs of \(groups.count) different configurations:\n  " + described.joined(separator: "\n  "),
        fix: "merge the shard databases of one command line at a time")
    }
    let count = shards[0].spec.count
    if let odd = shards.first(where: { $0.spec.count != count }) {
      throw AssayError(.invalidArgument, "\(odd.path) holds shard \(odd.spec) but \(shards[0].path) holds \(shards[0].spec)",
        fix: "all shards of a run use the same N in --shard I/N")
    }
    // The newest run of each shard index (a shard that was rerun with --fresh leaves an older run behind).
    var byIndex: [Int: Shard] = [:]
    for shard in shards {
      if let seen = byIndex[shard.spec.index], seen.startedAt >= shard.startedAt { continue }
      byIndex[shard.spec.index] = shard
    }
    let missing = (0..<count).filter { byIndex[$0] == nil }
    if !missing.isEmpty && !partial {
      throw AssayError(.invalidArgument,
        "shard(s) \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) of \(count) are missing from the inputs",
        fix: "run them (assay run ... --shard I/\(count)) and pass their databases too, or merge what is there with --partial")
    }
    let ordered = byIndex.keys.sorted().map { byIndex[$0]! }
    self.shards = ordered
    self.count = count
    self.missing = missing
    identity = (identities.first { $0.hash == hash }!.json, hash)
    status = RunStatus.merged(ordered.map(\.status), complete: missing.isEmpty)
    startedAt = ordered.map(\.startedAt).min()!
    finishedAt = ordered.compactMap(\.finishedAt).max()
  }
}
