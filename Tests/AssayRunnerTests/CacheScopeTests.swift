import AssayCore
import AssayStore
import AssayTesting
import Foundation
import GRDB
import Testing

/// The response cache answers a run only with its own server's answers (schema v5), any server's when asked, and
/// answers cached before v5 only to runs against the base URL that stored them.
@Suite struct CacheScopeTests {
  func database() throws -> (path: String, task: EvalTask) {
    (NSTemporaryDirectory() + "assay-scope-\(UUID().uuidString)/results.sqlite", try SuiteFixtures.mathTask(count: 2))
  }

  func store(_ path: String, task: EvalTask, run: String, baseURL: String) throws -> SQLiteStore {
    let store = try SQLiteStore(path: path)
    try store.createRun(
      RunRecord(id: run, model: "m", runtime: "openai-compatible", baseURL: baseURL, harnessVersion: "0", config: "{}",
        configHash: run, startedAt: SQLiteStore.timestamp()),
      tasks: [RunTaskRecord(task: task, planned: 2)])
    return store
  }

  func answer(_ store: SQLiteStore, task: EvalTask, run: String) async throws {
    let score = task.scorer.score(response: "The answer is 0", target: "0")
    try await store.record(
      SampleRecord(
        key: SampleKey(taskID: task.id, index: 0), requestKey: "request-0", endpoint: "chat/completions",
        requestBody: "{}", prompt: "Q", target: "0",
        outcome: .scored(ModelResponse(text: "The answer is 0", finishReason: "stop"), score, fromCache: false)),
      runID: run)
  }

  @Test func answersAreFoundForTheirOwnServerOnlyUnlessAnyServerIsAllowed() async throws {
    let (path, task) = try database()
    let first = try store(path, task: task, run: "r1", baseURL: "http://a/v1")
    first.scopeCache(to: CacheScope(server: "A"))
    try await answer(first, task: task, run: "r1")
    #expect(try await first.cachedResponses(forKeys: ["request-0"]).count == 1)

    let other = try SQLiteStore(path: path)
    other.scopeCache(to: CacheScope(server: "B"))
    #expect(try await other.cachedResponses(forKeys: ["request-0"]).isEmpty)
    other.scopeCache(to: CacheScope(server: "B", anyServer: true))
    #expect(try await other.cachedResponses(forKeys: ["request-0"]).count == 1)
    let server = try await DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT server FROM response_cache") }
    #expect(server == "A")
  }

  @Test func answersCachedBeforeServersAreFoundByRunsAgainstTheSameBaseURL() async throws {
    let (path, task) = try database()
    let old = try store(path, task: task, run: "r1", baseURL: "http://a/v1")
    try await answer(old, task: task, run: "r1")  // no scope: as before v5, no server recorded
    let server = try await DatabaseQueue(path: path).read { try String?.fetchOne($0, sql: "SELECT server FROM response_cache") }
    #expect(server == .some(nil))

    let same = try SQLiteStore(path: path)
    same.scopeCache(to: CacheScope(server: "A", legacyRun: { $0.baseURL == "http://a/v1" }))
    #expect(try await same.cachedResponses(forKeys: ["request-0"]).count == 1)
    let other = try SQLiteStore(path: path)
    other.scopeCache(to: CacheScope(server: "B", legacyRun: { $0.baseURL == "http://b/v1" }))
    #expect(try await other.cachedResponses(forKeys: ["request-0"]).isEmpty)
    let launched = try SQLiteStore(path: path)
    launched.scopeCache(to: CacheScope(server: "C"))
    #expect(try await launched.cachedResponses(forKeys: ["request-0"]).isEmpty)
  }
}
