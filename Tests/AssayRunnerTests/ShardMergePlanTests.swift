import AssayCore
import AssayRunner
import Testing

/// `assay merge`'s planning: one configuration, every shard once (the newest run of each), the merged identity and
/// status; the messages are the ones MergeAtomicityTests and ShardingTests see through the binary.
@Suite struct ShardMergePlanTests {
  typealias Plan = ShardMergePlan<String>

  /// A shard run of the configuration in RunConfigurationTests (`limit` 12 unless changed), as stored.
  func shard(
    _ spec: String, path: String, started: String = "2026-12-05T10:00:00.000Z", finished: String? = nil,
    status: RunStatus = .finished, limit: Int = 12
  ) throws -> Plan.Shard {
    var config = try #require(RunConfiguration.stored(RunConfigurationTests.merged.json))
    config.shard = spec
    config.limit = limit
    return try #require(
      try Plan.shard(
        path: path, run: "\(path)#\(spec)@\(started)", config: try config.identity().json, startedAt: started,
        finishedAt: finished, status: status))
  }

  @Test func completeShardsMergeIntoTheUnshardedIdentity() throws {
    let found = [
      try shard("1/3", path: "b.sqlite", started: "2026-12-05T10:00:02.000Z", finished: "2026-12-05T10:05:00.000Z"),
      try shard("0/3", path: "a.sqlite", started: "2026-12-05T10:00:01.000Z", finished: "2026-12-05T10:04:00.000Z"),
      try shard("2/3", path: "c.sqlite", started: "2026-12-05T10:00:03.000Z", finished: "2026-12-05T10:06:00.000Z"),
    ]
    let plan = try Plan(found: found, inputs: ["a.sqlite", "b.sqlite", "c.sqlite"], partial: false)
    #expect(plan.shards.map(\.path) == ["a.sqlite", "b.sqlite", "c.sqlite"])
    #expect(plan.count == 3 && plan.missing.isEmpty)
    #expect(plan.identity.json == RunConfigurationTests.merged.json)
    #expect(plan.identity.hash == RunConfigurationTests.merged.hash)
    #expect(plan.status == .finished)
    #expect(plan.startedAt == "2026-12-05T10:00:01.000Z")
    #expect(plan.finishedAt == "2026-12-05T10:06:00.000Z")
  }

  @Test func theNewestRunOfAShardIndexIsTaken() throws {
    let found = [
      try shard("0/2", path: "a.sqlite", started: "2026-12-05T10:00:00.000Z", status: .failed),
      try shard("0/2", path: "a.sqlite", started: "2026-12-05T11:00:00.000Z"),
      try shard("1/2", path: "b.sqlite"),
    ]
    let plan = try Plan(found: found, inputs: ["a.sqlite", "b.sqlite"], partial: false)
    #expect(plan.shards.map(\.run) == ["a.sqlite#0/2@2026-12-05T11:00:00.000Z", "b.sqlite#1/2@2026-12-05T10:00:00.000Z"])
    #expect(plan.status == .finished)
  }

  @Test func missingShardsAreRefusedUnlessPartial() throws {
    let found = [try shard("0/3", path: "a.sqlite"), try shard("2/3", path: "c.sqlite", status: .interrupted)]
    let error = #expect(throws: AssayError.self) { try Plan(found: found, inputs: ["a.sqlite", "c.sqlite"], partial: false) }
    #expect(error?.message == "shard(s) 1/3 of 3 are missing from the inputs")
    #expect(error?.fix == "run them (assay run ... --shard I/3) and pass their databases too, or merge what is there with --partial")
    let plan = try Plan(found: found, inputs: ["a.sqlite", "c.sqlite"], partial: true)
    #expect(plan.missing == [1])
    #expect(plan.status == .interrupted)
  }

  @Test func shardsOfDifferentConfigurationsOrCountsAreRefused() throws {
    let mixed = [try shard("0/2", path: "a.sqlite"), try shard("1/2", path: "b.sqlite", limit: 13)]
    let error = #expect(throws: AssayError.self) { try Plan(found: mixed, inputs: ["a.sqlite", "b.sqlite"], partial: false) }
    #expect(error?.message.hasPrefix("the inputs hold shard runs of 2 different configurations:\n  mock-model on 1 task(s) at http://127.0.0.1:35837/v1: ") == true)
    #expect(error?.fix == "merge the shard databases of one command line at a time")
    let counts = [try shard("0/2", path: "a.sqlite"), try shard("1/3", path: "b.sqlite")]
    let odd = #expect(throws: AssayError.self) { try Plan(found: counts, inputs: ["a.sqlite", "b.sqlite"], partial: false) }
    #expect(odd?.message == "b.sqlite holds shard 1/3 but a.sqlite holds 0/2")
  }

  @Test func runsWithoutAShardAreNotShardRuns() throws {
    #expect(try Plan.shard(path: "a", run: "r", config: RunConfigurationTests.merged.json, startedAt: "", finishedAt: nil, status: .finished) == nil)
    #expect(try Plan.shard(path: "a", run: "r", config: "{}", startedAt: "", finishedAt: nil, status: .finished) == nil)
    let error = #expect(throws: AssayError.self) { try Plan(found: [], inputs: ["x.sqlite", "y.sqlite"], partial: false) }
    #expect(error?.message == "no shard runs in x.sqlite, y.sqlite")
  }

  @Test func theServerIdentityFollowsTheRuntime() throws {
    var hashed = 0
    let sha = { () throws(AssayError) -> String in
      hashed += 1
      return "abc"
    }
    let launched = try ServerIdentity.of(
      runtime: .llamaCpp, model: "m.gguf", vllmArguments: [], baseURL: "http://127.0.0.1:4242/v1", served: "{}", modelSHA256: sha)
    #expect(launched == ServerIdentity(modelSHA256: "abc"))
    let vllm = try ServerIdentity.of(
      runtime: .vllm, model: "org/m", vllmArguments: ["--max-model-len", "8192"], baseURL: "http://x/v1", served: nil, modelSHA256: sha)
    #expect(vllm == ServerIdentity(vllmModel: "org/m", vllmArguments: ["--max-model-len", "8192"]))
    #expect(try ServerIdentity.of(runtime: .vllm, model: "org/m", vllmArguments: [], baseURL: "", served: nil, modelSHA256: sha).vllmArguments == nil)
    let own = try ServerIdentity.of(
      runtime: .openAICompatible, model: "m", vllmArguments: [], baseURL: "HTTP://Host:8000/v1/", served: #"{"root":"r"}"#, modelSHA256: sha)
    #expect(own == ServerIdentity(url: "http://host:8000/v1", served: #"{"root":"r"}"#))
    #expect(hashed == 1)
  }
}
