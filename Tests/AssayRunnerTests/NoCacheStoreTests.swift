import AssayCore
import AssayRunner
import AssayTesting
import Testing

/// `--no-cache`: the wrapped store's answers are never offered, but samples and new answers still reach it.
@Suite struct NoCacheStoreTests {
  func record(_ key: String, index: Int) -> SampleRecord {
    SampleRecord(
      key: SampleKey(taskID: "t/v", index: index), requestKey: key, endpoint: "chat/completions", requestBody: "{}",
      prompt: "Q", target: "1",
      outcome: .scored(ModelResponse(text: "1", finishReason: "stop"), SampleScore(answers: [:], correct: [:], primary: "exact", explanation: ""), fromCache: false))
  }

  @Test func cachedAnswersAreHiddenWhileWritesGoThrough() async throws {
    let base = InMemoryStore()
    try await base.record(record("k0", index: 0), runID: "r")
    #expect(try await base.cachedResponses(forKeys: ["k0"]).count == 1)
    let store = NoCacheStore(base: base)
    #expect(try await store.cachedResponses(forKeys: ["k0"]).isEmpty)
    #expect(try await store.scoredSampleKeys(runID: "r") == [SampleKey(taskID: "t/v", index: 0)])
    try await store.record(record("k1", index: 1), runID: "r")
    try await store.cache(ModelResponse(text: "verdict", finishReason: "stop"), key: "judge-1", endpoint: "chat/completions#judge", request: "{}")
    #expect(base.records(runID: "r").count == 2)
    #expect(try await base.cachedResponses(forKeys: ["k1", "judge-1"]).count == 2)
    #expect(try await store.cachedResponses(forKeys: ["k1", "judge-1"]).isEmpty)
  }
}
