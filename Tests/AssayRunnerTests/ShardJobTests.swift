import AssayRunner
import Testing

/// `assay launch`'s Slurm script and Kubernetes manifest, built directly (ShardingTests also runs the script's shard
/// line through bash).
@Suite struct ShardJobTests {
  let job = ShardJob(
    shards: 8, name: "assay", directory: "/shared/assay", merged: "/shared/assay/merged.sqlite", assay: "assay",
    runArguments: ["--base-url", "http://vllm-head:8000/v1", "--model", "Llama 3.1 8B", "--preset", "llama3.1-instruct"],
    partition: "gpu", sbatchArguments: ["--gres=gpu:1"], image: "registry.example.org/assay:1")

  @Test func wordsAreQuotedOnlyWhenTheShellNeedsIt() {
    #expect(ShardJob.shellQuoted("--model") == "--model")
    #expect(ShardJob.shellQuoted("http://h:8000/v1") == "http://h:8000/v1")
    #expect(ShardJob.shellQuoted("Llama 3.1 8B") == "'Llama 3.1 8B'")
    #expect(ShardJob.shellQuoted("it's") == #"'it'\''s'"#)
    #expect(ShardJob.shellQuoted("") == "''")
    #expect(ShardJob.shellQuoted("$HOME") == "'$HOME'")
  }

  @Test func theSlurmScriptRunsOneShardPerArrayTask() {
    let lines = job.slurmScript().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "#!/bin/bash")
    for line in ["#SBATCH --array=0-7", "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:1", "#SBATCH --time=12:00:00",
      "#SBATCH --cpus-per-task=2", "#SBATCH --output=/shared/assay/assay-%A_%a.log",
      "exec assay run --base-url http://vllm-head:8000/v1 --model 'Llama 3.1 8B' --preset llama3.1-instruct \\",
      #"  --shard "${shard}/8" --db /shared/assay/shard-"${shard}".sqlite"#,
      "#   assay merge --db /shared/assay/merged.sqlite /shared/assay/shard-*.sqlite"]
    {
      #expect(lines.contains(line), "missing \(line)")
    }
    #expect(lines.last == "")
  }

  @Test func theKubernetesManifestIsAnIndexedJobWithACommentedMergeJob() {
    let text = job.kubernetesManifest()
    for needle in ["kind: Job", "completionMode: Indexed", "completions: 8", "parallelism: 8", "${JOB_COMPLETION_INDEX}/8",
      "claimName: \"assay-results\"", "image: \"registry.example.org/assay:1\"", "mountPath: \"/shared/assay\"",
      "kubectl wait --for=condition=complete job/assay", "#   kind: Job", "#     name: assay-merge",
      "merge --db /shared/assay/merged.sqlite /shared/assay/shard-*.sqlite"]
    {
      #expect(text.contains(needle), "missing \(needle)")
    }
    #expect(!text.contains("SBATCH"))
  }
}
