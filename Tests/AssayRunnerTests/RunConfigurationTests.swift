import AssayCore
import AssayRunner
import Testing

/// A run's configuration is stored and hashed byte for byte as before the type moved into the runner: the literals
/// below are `run.config` and `run.config_hash` rows written by `assay run` and `assay merge` built from main at
/// 7e6a3c2 (the CLI integration tests' databases), so a changed key, encoding or hash would resume no old run.
@Suite struct RunConfigurationTests {
  /// A judged run on a launched llama.cpp server (judge, model sha256, generation options).
  static let judged = (
    json: #"{"judge":"tiny-llama3-random@same server","limit":1,"model":"tiny-llama3-random","options":{"maxTokens":16,"model":"tiny-llama3-random"},"runtime":"llama.cpp","server":{"model_sha256":"d92c0f1be0952079fe411d149c6446c87a65bb6183ce3b30aa04cf850ca1c9d3"},"tasks":[{"contentHash":"c60b42150e1f816d98a7fbcc2e3e7ee57c0202764b0b21f20528f71f130666bf","datasetSHA256":{"mt_bench/judge_prompts.jsonl":"fd283293406d024f44c174b094ef48031d0687a4682fd3a56b29b138f80281b6","mt_bench/mt_bench/question.jsonl":"119565adbab82227089cefdb44c8d7e2cf04dc0a0ec233634c82e7d4e2a944f7","mt_bench/mt_bench/reference_answer/gpt-4.jsonl":"f957a5bc977badb66885ec970e6cd08527845780313f0995764260e5777b9b3f"},"task":"mt-bench/main"},{"contentHash":"91ab5d553f0b5b7214c713995e4e81335e58a3fe9680f676b0b51a3a7195a179","datasetSHA256":{"arena-hard-auto/arena-hard-v0.1/model_answer/gpt-4-0314.jsonl":"0f6abc84de4600fde987d9db70f838f4ecdbd27a2f1f4058c12aa322a6f791b2","arena-hard-auto/arena-hard-v0.1/question.jsonl":"2650242d2883f22b2abd498f273b6a7e02253cce533f5c91a858e1d44aa3002f"},"task":"arena-hard/v0.1"},{"contentHash":"a4dfd890e070f0240360c9cc0dab9087378eaf3931af86ff021f5fbb20369922","datasetSHA256":{"alpaca_eval/results/gpt4_1106_preview/model_outputs.json":"83db546b872ddebee8965fd05fa48461ee3c32bc695c62fb57f2d214ff741ec4"},"task":"alpaca-eval/main"}]}"#,
    hash: "99ecef84c6d1ee94a488eb7186731e1a711b1eaf9b8aecb2c941366b62deda48")
  /// A launched vLLM server with extra arguments.
  static let vllm = (
    json: #"{"limit":5,"model":"Llama-3.1-8B-Instruct","options":{"model":"Llama-3.1-8B-Instruct"},"runtime":"vllm","server":{"vllm_arguments":["--max-model-len","8192"],"vllm_model":"/tmp/assay-cli-325D2504-A6E2-4C5F-8398-D529750569A5/Llama-3.1-8B-Instruct"},"tasks":[{"contentHash":"363c955ee2f95174981f6a2c9d8ad9b454c17916a6bcdeada264f149b44c210b","datasetSHA256":{"gsm8k/test.jsonl":"3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14"},"task":"gsm8k/main"}]}"#,
    hash: "7852124bead83a8d7d540ff5a1eed92bac317e1c2a1fd2113913dfeb83e6cda8")
  /// Shard 0/3 of a run against a server the user runs, and the run `assay merge` made of its shards.
  static let shard = (
    json: #"{"limit":12,"model":"mock-model","options":{"model":"mock-model"},"runtime":"openai-compatible","server":{"url":"http://127.0.0.1:35837/v1"},"shard":"0/3","tasks":[{"contentHash":"363c955ee2f95174981f6a2c9d8ad9b454c17916a6bcdeada264f149b44c210b","datasetSHA256":{"gsm8k/test.jsonl":"3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14"},"task":"gsm8k/main"}]}"#,
    hash: "6e547fb182d18a55906bc8da399541161a5877dd7b147aa815e504b2376a3a27")
  static let merged = (
    json: #"{"limit":12,"model":"mock-model","options":{"model":"mock-model"},"runtime":"openai-compatible","server":{"url":"http://127.0.0.1:35837/v1"},"tasks":[{"contentHash":"363c955ee2f95174981f6a2c9d8ad9b454c17916a6bcdeada264f149b44c210b","datasetSHA256":{"gsm8k/test.jsonl":"3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14"},"task":"gsm8k/main"}]}"#,
    hash: "cad25d845584e8512ca3e304590f71d1bb77bae82a34d33f835611fcf648f440")

  @Test(arguments: [RunConfigurationTests.judged, RunConfigurationTests.vllm, RunConfigurationTests.shard, RunConfigurationTests.merged].map { [$0.json, $0.hash] })
  func storedConfigurationsReadBackToTheSameBytesAndHash(_ row: [String]) throws {
    let config = try #require(RunConfiguration.stored(row[0]))
    let identity = try config.identity()
    #expect(identity.json == row[0])
    #expect(identity.hash == row[1])
  }

  @Test func aConfigurationBuiltFromItsPartsHasTheStoredBytes() throws {
    let config = RunConfiguration(
      model: "mock-model", runtime: .openAICompatible,
      tasks: [
        .init(
          task: "gsm8k/main", contentHash: "363c955ee2f95174981f6a2c9d8ad9b454c17916a6bcdeada264f149b44c210b",
          datasetSHA256: ["gsm8k/test.jsonl": "3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14"])
      ],
      options: GenerationOptions(model: "mock-model"), limit: 12, shard: "0/3",
      server: ServerIdentity(url: ServerIdentity.normalized("HTTP://127.0.0.1:35837/v1/")))
    let identity = try config.identity()
    #expect(identity.json == Self.shard.json)
    #expect(identity.hash == Self.shard.hash)
    let unsharded = try config.unsharded.identity()
    #expect(unsharded.json == Self.merged.json)
    #expect(unsharded.hash == Self.merged.hash)
  }

  @Test func aShardsUnshardedConfigurationHashesAsTheMergedRun() throws {
    let shard = try #require(RunConfiguration.stored(Self.shard.json))
    #expect(try shard.unsharded.identity(what: "the configuration of shard-0.sqlite").hash == Self.merged.hash)
  }

  @Test func configurationsThatDifferOnlyInTheServerMatchIgnoringIt() throws {
    let merged = try #require(RunConfiguration.stored(Self.merged.json))
    var elsewhere = merged
    elsewhere.server = ServerIdentity(url: "http://10.0.0.2:8000/v1", served: #"{"root":"/models/fp8"}"#)
    #expect(elsewhere.matchesIgnoringServer(stored: Self.merged.json))
    #expect(try elsewhere.identity().hash != Self.merged.hash)
    elsewhere.limit = 13
    #expect(!elsewhere.matchesIgnoringServer(stored: Self.merged.json))
    #expect(!merged.matchesIgnoringServer(stored: "{}"))
    #expect(!merged.matchesIgnoringServer(stored: "not json"))
  }

  @Test func theJudgeIsNamedAsItsServerNamesIt() throws {
    let stored = try #require(RunConfiguration.stored(Self.judged.json))
    #expect(
      RunConfiguration.judge("/m/tiny.gguf", model: "/m/tiny.gguf", servedName: "tiny-llama3-random", judgeBaseURL: nil)
        == stored.judge)
    #expect(
      RunConfiguration.judge("gpt-judge", model: "/m/tiny.gguf", servedName: "tiny", judgeBaseURL: "http://j:8000/v1")
        == "gpt-judge@http://j:8000/v1")
  }

  @Test func aNonFiniteOptionCannotBeHashedAndSaysWhichValue() throws {
    var config = try #require(RunConfiguration.stored(Self.merged.json))
    config.options.temperature = .nan
    let error = #expect(throws: AssayError.self) { try config.identity(what: "the configuration of shard-1.sqlite") }
    #expect(error?.message.contains("the configuration of shard-1.sqlite") == true)
    #expect(error?.message.contains("options.temperature") == true)
  }

  /// A safety run's guard is part of its identity: another guard (model, server, format) is another run; runs
  /// without one keep their stored bytes (the stored configurations above read back unchanged).
  @Test func theGuardIsPartOfTheIdentity() throws {
    var config = try #require(RunConfiguration.stored(Self.merged.json))
    config.guard = "llama-guard-3 llama-guard-3-8b@http://127.0.0.1:9001/v1 (completion)"
    let first = try config.identity()
    #expect(first.json.contains(#""guard":"llama-guard-3 llama-guard-3-8b@"#) && first.hash != Self.merged.hash)
    config.guard = "llama-guard-2 llama-guard-3-8b@http://127.0.0.1:9001/v1 (completion)"
    #expect(try config.identity().hash != first.hash)
    #expect(RunConfiguration.stored(first.json)?.guard == "llama-guard-3 llama-guard-3-8b@http://127.0.0.1:9001/v1 (completion)")
  }
}
