import ArgumentParser
import AssayCore
import AssayRunner
import Foundation

/// `assay launch`: print a cluster job that runs a command's shards in parallel, then merges them.
struct LaunchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "launch",
    abstract: "Print a Slurm array script or a Kubernetes Indexed Job that runs `assay run` in N shards, and the merge step.",
    discussion: """
      Everything after `--` is the `assay run` command line of the whole evaluation (without --shard and --db);
      each array task or pod runs it with `--shard I/N` (I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX) and
      its own database, and `assay merge` combines the shard databases afterwards. Assay schedules nothing itself:
      the script or manifest goes to your scheduler as is.

      Examples:
        assay launch --slurm --shards 8 --db-dir /shared/assay/shards -- \\
          --base-url http://vllm-head:8000/v1 --model Llama-3.1-8B-Instruct --preset llama3.1-instruct --concurrency 64 \\
          > assay.sbatch
        jobid=$(sbatch --parsable assay.sbatch)      # then the merge step printed at the end of the script
        assay launch --k8s --shards 8 --image registry.example.org/assay:1.0 --pvc assay-results -- \\
          --base-url http://vllm.default.svc:8000/v1 --model Llama-3.1-8B-Instruct --preset llama3.1-instruct > assay-job.yaml
        kubectl apply -f assay-job.yaml
      """)

  @Flag(help: "Print an sbatch array script.")
  var slurm = false

  @Flag(name: .customLong("k8s"), help: "Print a Kubernetes Indexed Job manifest.")
  var kubernetes = false

  @Option(help: "Number of shards (array tasks or pods).")
  var shards: Int

  @Option(help: "Job name.")
  var name: String = "assay"

  @Option(name: .customLong("db-dir"), help: ArgumentHelp(
    "Folder for the shard databases, shared by all tasks (default: results/shards with --slurm, /results with --k8s).",
    valueName: "dir"))
  var dbDirectory: String?

  @Option(name: .customLong("merged-db"), help: ArgumentHelp("The merged database (default: DB-DIR/merged.sqlite).", valueName: "path"))
  var mergedDB: String?

  @Option(help: ArgumentHelp("The assay executable on the nodes.", valueName: "path"))
  var assay: String = "assay"

  @Option(help: ArgumentHelp("--slurm: the partition (#SBATCH --partition).", valueName: "name"))
  var partition: String?

  @Option(help: ArgumentHelp("--slurm: time limit per shard (#SBATCH --time).", valueName: "d-hh:mm:ss"))
  var time: String = "12:00:00"

  @Option(name: .customLong("cpus-per-task"), help: "--slurm: cores per shard (the harness needs little: 2 drive thousands of requests/s).")
  var cpusPerTask: Int = 2

  @Option(name: .customLong("sbatch-arg"), help: ArgumentHelp(
    "--slurm: one more #SBATCH line (repeat it), e.g. --sbatch-arg=--gres=gpu:1 for shards that launch --runtime vllm.",
    valueName: "arg"))
  var sbatchArguments: [String] = []

  @Option(help: ArgumentHelp("--k8s: the container image with assay and the suites' data.", valueName: "image"))
  var image: String = "assay:latest"

  @Option(help: ArgumentHelp("--k8s: the PersistentVolumeClaim (ReadWriteMany) mounted at DB-DIR in every pod.", valueName: "claim"))
  var pvc: String = "assay-results"

  @Argument(parsing: .postTerminator, help: ArgumentHelp("The `assay run` arguments, after --.", valueName: "run-args"))
  var runArguments: [String] = []

  func validate() throws {
    guard slurm != kubernetes else { throw ValidationError("choose one of --slurm and --k8s") }
    guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
    guard !runArguments.isEmpty else {
      throw ValidationError("give the `assay run` arguments after --, e.g. assay launch --slurm --shards 4 -- --base-url URL --model NAME --suite mgsm")
    }
    if let taken = runArguments.first(where: { ["--shard", "--db", "--perf-out"].contains($0.split(separator: "=").first.map(String.init) ?? $0) }) {
      throw ValidationError("leave \(taken) out of the run arguments: launch sets each shard's --shard and --db")
    }
    guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), name.first?.isLetter == true else {
      throw ValidationError("--name '\(name)' must be lowercase letters, digits and '-', starting with a letter (a Kubernetes name)")
    }
    // The run arguments must parse as `assay run` does, so a typo fails here and not on 100 nodes.
    do {
      _ = try RunCommand.parse(runArguments + ["--shard", "0/\(shards)"])
    } catch {
      throw ValidationError("the run arguments do not parse as `assay run`: \(RunCommand.message(for: error))")
    }
  }

  func run() throws {
    let directory = dbDirectory ?? (slurm ? "results/shards" : "/results")
    let merged = mergedDB ?? "\(directory)/merged.sqlite"
    let job = ShardJob(
      shards: shards, name: name, directory: directory, merged: merged, assay: assay, runArguments: runArguments,
      partition: partition, time: time, cpusPerTask: cpusPerTask, sbatchArguments: sbatchArguments, image: image, pvc: pvc)
    print(slurm ? job.slurmScript() : job.kubernetesManifest(), terminator: "")
  }
}
