import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@Suite struct SQLiteStoreTests {
  func temporaryDatabase() -> String {
    NSTemporaryDirectory() + "assay-store-\(UUID().uuidString)/results.sqlite"
  }

  func record(_ index: Int, _ outcome: SampleOutcome) -> SampleRecord {
    SampleRecord(
      key: SampleKey(taskID: "toy-math/main", index: index), requestKey: "key\(index)", endpoint: "chat/completions",
      requestBody: "{}", prompt: "Q: \(index)", target: "\(index)", outcome: outcome)
  }

  @Test func timestampsMatchISO8601WithMilliseconds() {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    for seconds in [0.0, 1.5, 946_684_799.999, 1_764_374_400.123, 4_102_444_800.0012, 1_000_000_000.9996, 1_234_567_890.0004] {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(SQLiteStore.timestamp(date) == formatter.string(from: date), "\(seconds)")
    }
  }

  @Test func concurrentRecordsAreAllCommitted() async throws {
    let path = temporaryDatabase()
    let store = try SQLiteStore(path: path)
    try store.createRun(
      RunRecord(id: "r", model: "m", runtime: "x", baseURL: "u", harnessVersion: "v", config: "{}", configHash: "h",
        startedAt: SQLiteStore.timestamp()),
      tasks: [RunTaskRecord(taskID: "toy-math/main", suiteID: "toy-math", variantID: "main", language: "en", license: "l", contentHash: "c",
        datasetSHA256: "{}", planned: 500, primary: "exact_match", pipelines: [])])
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<500 {
        group.addTask { try await store.record(self.record(index, .failed(RequestFailure(message: "x", attempts: 1, retryable: true))), runID: "r") }
      }
      try await group.waitForAll()
    }
    // A fresh connection sees every one (each call returned after its commit).
    #expect(try SQLiteStore(path: path).samples(runID: "r").count == 500)
  }

  @Test func samplesAndCacheSurviveReopening() async throws {
    let path = temporaryDatabase()
    let task = try SuiteFixtures.mathTask(count: 3)
    do {
      let store = try SQLiteStore(path: path)
      try store.createRun(
        RunRecord(
          id: "r1", model: "m", runtime: "test", baseURL: "http://x", harnessVersion: "0", config: "{}",
          configHash: "h", startedAt: SQLiteStore.timestamp()),
        tasks: [RunTaskRecord(task: task, planned: 3)])
      let score = task.scorer.score(response: "The answer is 0", target: "0")
      try await store.record(record(0, .scored(ModelResponse(text: "The answer is 0", finishReason: "stop"), score, fromCache: false)), runID: "r1")
      try await store.record(record(1, .failed(RequestFailure(message: "HTTP 500", attempts: 3, retryable: true))), runID: "r1")
    }
    let reopened = try SQLiteStore(path: path)
    #expect(try await reopened.scoredSampleKeys(runID: "r1") == [SampleKey(taskID: "toy-math/main", index: 0)])
    let cached = try await reopened.cachedResponses(forKeys: ["key0", "key1", "nope"])
    #expect(cached.keys.sorted() == ["key0"])
    let samples = try reopened.samples(runID: "r1")
    #expect(samples.map(\.status) == [.scored, .failed])
    #expect(samples[0].answers == ["strict": "0", "flexible": "0"])
    #expect(samples[1].error == "HTTP 500")
    #expect(try reopened.resumableRun(configHash: "h")?.id == "r1")
  }

  @Test func aRetriedFailureBecomesScoredInPlace() async throws {
    let store = try SQLiteStore(path: temporaryDatabase())
    let task = try SuiteFixtures.mathTask(count: 1)
    try store.createRun(
      RunRecord(id: "r", model: "m", runtime: "t", baseURL: "u", harnessVersion: "0", config: "{}", configHash: "h",
        startedAt: SQLiteStore.timestamp()),
      tasks: [RunTaskRecord(task: task, planned: 1)])
    try await store.record(record(0, .failed(RequestFailure(message: "timeout", attempts: 6, retryable: true))), runID: "r")
    let score = task.scorer.score(response: "The answer is 0", target: "0")
    try await store.record(record(0, .scored(ModelResponse(text: "The answer is 0", finishReason: "stop", attempts: 1), score, fromCache: false)), runID: "r")
    let samples = try store.samples(runID: "r")
    #expect(samples.count == 1)
    #expect(samples[0].status == .scored)
    #expect(samples[0].error == nil)
    #expect(samples[0].attempts == 7)
  }

  @Test func theNewestRunWithTheSameConfigurationIsContinued() throws {
    let store = try SQLiteStore(path: temporaryDatabase())
    try store.createRun(
      RunRecord(id: "r", model: "m", runtime: "t", baseURL: "u", harnessVersion: "0", config: "{}", configHash: "h",
        startedAt: SQLiteStore.timestamp()), tasks: [])
    try store.finishRun(id: "r", status: .finished, at: SQLiteStore.timestamp())
    #expect(try store.resumableRun(configHash: "h")?.id == "r")
    #expect(try store.resumableRun(configHash: "other") == nil)
    #expect(try store.run("latest").status == .finished)
  }
}
