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

  func run() throws {
    try MergeOutput.refuseInputs(inputs, destination: storeOptions.db)
    var found: [ShardMergePlan<RunRecord>.Shard] = []
    for path in inputs {
      let store = try SQLiteStore.openExisting(path: path)
      for run in try store.runs() {
        if let shard = try ShardMergePlan.shard(
          path: path, run: run, config: run.config, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status)
        {
          found.append(shard)
        }
      }
    }
    let plan = try ShardMergePlan(found: found, inputs: inputs, partial: partial)
    let ordered = plan.shards
    let first = ordered[0]
    let status = plan.status
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
        harnessVersion: AssayVersion.current, config: plan.identity.json, configHash: plan.identity.hash,
        startedAt: plan.startedAt, finishedAt: plan.finishedAt, status: status),
      tasks: tasks)
    var total = 0
    do {
      for (number, shard) in ordered.enumerated() {
        let shardTasks = try SQLiteStore.openExisting(path: shard.path).tasks(runID: shard.run.id).map(\.taskID)
        guard shardTasks.sorted() == tasks.map(\.taskID).sorted() else {
          throw AssayError(.invalidArgument, "shard \(shard.spec) in \(shard.path) has other tasks than shard \(first.spec)",
            fix: "merge shards of one command line")
        }
        let copied = try destination.copySamples(from: shard.path, run: shard.run.id, into: runID)
        FileHandle.standardError.write(Data("shard \(shard.spec): \(copied) samples from \(shard.path) (run \(shard.run.id), \(shard.run.status))\n".utf8))
        total += copied
        // Fault injection for tests: the process is killed (-9) once this many shards are copied.
        if ProcessInfo.processInfo.environment["ASSAY_FAULT_KILL_MERGE_AFTER_SHARDS"].flatMap(Int.init) == number + 1 {
          kill(getpid(), SIGKILL)
        }
      }
    }
    try output.publish(destination, runID: runID)
    FileHandle.standardError.write(Data(
      "merged \(ordered.count) of \(plan.count) shards: \(total) samples into run \(runID) in \(storeOptions.db) (\(status))\n".utf8))
    print(try ReportBuilder.render(store: SQLiteStore.openExisting(path: storeOptions.db), run: runID, format: format), terminator: "")
  }
}
