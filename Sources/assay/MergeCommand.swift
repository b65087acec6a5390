import ArgumentParser
import AssayCore
import AssayRunner
import AssayStore
import Foundation

/// `assay merge`: combine the databases of a sharded run (`assay run --shard I/N`) into one run.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine the shard databases of a sharded run into one run, as if it had run unsharded.",
    discussion: """
      Every shard's database holds a run with the same configuration and its own `--shard I/N`; merge checks that
      the shards come from one configuration and cover 0/N ... N-1/N exactly once, then writes one run (the
      unsharded configuration, so `assay run` without --shard resumes it) with every shard's samples and response
      cache into --db, and prints its report. A shard database may hold several runs: the newest shard run of each
      index is taken.

      Examples:
        assay merge --db results/merged.sqlite shard-0.sqlite shard-1.sqlite shard-2.sqlite shard-3.sqlite
        assay merge --db results/merged.sqlite results/shards/*.sqlite --format json

      The merged run is built in a temporary file beside --db (.NAME.merge-PID.tmp) and published at the end: renamed
      into place when --db does not exist, else copied into it in one transaction; an interrupted merge leaves --db as
      it was. --db may not be one of the inputs, nor a link to one. Shards of one configuration ran against one server
      (one --base-url, e.g. a load balancer, or one model file); shards run with --reuse-answers-from-any-server
      against different servers are different configurations.

      Exit codes: 0 merged; 2 shards missing, duplicated or from different configurations, or --db is an input (nothing written); 4 database.
      """)

  @Argument(help: ArgumentHelp("Shard databases (from `assay run --shard I/N --db FILE`).", valueName: "shard-db"))
  var inputs: [String]

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Report format printed at the end: markdown or json.")
  var format: ReportFormat = .markdown

  @Flag(help: "Merge even if some shards are missing (the report shows the samples that are there).")
  var partial = false

  func validate() throws {
    if inputs.isEmpty { throw ValidationError("name the shard databases to merge, e.g. assay merge --db merged.sqlite shard-*.sqlite") }
    // --db naming an input (by path or through a link) is refused in run(), with exit code 2.
  }

  /// One shard run found in an input.
  struct ShardRun {
    var path: String
    var run: RunRecord
    var shard: ShardSpec
    var unsharded: RunConfiguration
  }

  func run() throws {
    try MergeOutput.refuseInputs(inputs, destination: storeOptions.db)
    var found: [ShardRun] = []
    for path in inputs {
      let store = try SQLiteStore.openExisting(path: path)
      for run in try store.runs() {
        guard let config = RunConfiguration.stored(run.config), let text = config.shard else { continue }
        found.append(ShardRun(path: path, run: run, shard: try ShardSpec(parsing: text), unsharded: config.unsharded))
      }
    }
    guard !found.isEmpty else {
      throw AssayError(.invalidArgument, "no shard runs in \(inputs.joined(separator: ", "))",
        fix: "merge databases written by `assay run --shard I/N --db FILE`")
    }
    var hashes: [String] = []
    for shard in found { hashes.append(try shard.unsharded.identity(what: "the configuration of \(shard.path)").hash) }
    let groups = Dictionary(grouping: found.indices) { hashes[$0] }.mapValues { $0.map { found[$0] } }
    guard groups.count == 1, let (configHash, shards) = groups.first else {
      let described = groups.values.map { runs in
        "\(runs[0].unsharded.model) on \(runs[0].unsharded.tasks.count) task(s)\(runs[0].unsharded.server?.url.map { " at \($0)" } ?? ""): \(runs.map { "\($0.shard) in \($0.path)" }.joined(separator: ", "))"
      }
      throw AssayError(.invalidArgument,
        "the inputs hold shard runs of \(groups.count) different configurations:\n  " + described.joined(separator: "\n  "),
        fix: "merge the shard databases of one command line at a time")
    }
    let count = shards[0].shard.count
    if let odd = shards.first(where: { $0.shard.count != count }) {
      throw AssayError(.invalidArgument, "\(odd.path) holds shard \(odd.shard) but \(shards[0].path) holds \(shards[0].shard)",
        fix: "all shards of a run use the same N in --shard I/N")
    }
    // The newest run of each shard index (a shard that was rerun with --fresh leaves an older run behind).
    var byIndex: [Int: ShardRun] = [:]
    for shard in shards {
      if let seen = byIndex[shard.shard.index], seen.run.startedAt >= shard.run.startedAt { continue }
      byIndex[shard.shard.index] = shard
    }
    let missing = (0..<count).filter { byIndex[$0] == nil }
    if !missing.isEmpty && !partial {
      throw AssayError(.invalidArgument,
        "shard(s) \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) of \(count) are missing from the inputs",
        fix: "run them (assay run ... --shard I/\(count)) and pass their databases too, or merge what is there with --partial")
    }
    let ordered = byIndex.keys.sorted().map { byIndex[$0]! }
    let first = ordered[0]
    let statuses = Set(ordered.map(\.run.status))
    let status = missing.isEmpty && statuses == ["finished"] ? "finished"
      : statuses.contains("failed") ? "failed" : "interrupted"
    // Built in a temporary database beside --db and published at the end (renamed into place, or copied into an
    // existing --db in one transaction), so an interrupted merge leaves --db as it was.
    let output = MergeOutput(destination: storeOptions.db)
    defer { output.discard() }
    let destination = try SQLiteStore(path: output.temporary)
    let tasks = try SQLiteStore.openExisting(path: first.path).tasks(runID: first.run.id)
    let runID = RunCommand.newRunID()
    try destination.createRun(
      RunRecord(
        id: runID, model: first.run.model, runtime: first.run.runtime, baseURL: first.run.baseURL,
        harnessVersion: AssayVersion.current, config: CanonicalJSON.string(first.unsharded), configHash: configHash,
        startedAt: ordered.map(\.run.startedAt).min()!, finishedAt: ordered.compactMap(\.run.finishedAt).max(), status: status),
      tasks: tasks)
    var total = 0
    do {
      for (number, shard) in ordered.enumerated() {
        let shardTasks = try SQLiteStore.openExisting(path: shard.path).tasks(runID: shard.run.id).map(\.taskID)
        guard shardTasks.sorted() == tasks.map(\.taskID).sorted() else {
          throw AssayError(.invalidArgument, "shard \(shard.shard) in \(shard.path) has other tasks than shard \(first.shard)",
            fix: "merge shards of one command line")
        }
        let copied = try destination.copySamples(from: shard.path, run: shard.run.id, into: runID)
        FileHandle.standardError.write(Data("shard \(shard.shard): \(copied) samples from \(shard.path) (run \(shard.run.id), \(shard.run.status))\n".utf8))
        total += copied
        // Fault injection for tests: the process is killed (-9) once this many shards are copied.
        if ProcessInfo.processInfo.environment["ASSAY_FAULT_KILL_MERGE_AFTER_SHARDS"].flatMap(Int.init) == number + 1 {
          kill(getpid(), SIGKILL)
        }
      }
    }
    try output.publish(destination, runID: runID)
    FileHandle.standardError.write(Data(
      "merged \(ordered.count) of \(count) shards: \(total) samples into run \(runID) in \(storeOptions.db) (\(status))\n".utf8))
    print(try ReportBuilder.render(store: SQLiteStore.openExisting(path: storeOptions.db), run: runID, format: format), terminator: "")
  }
}
