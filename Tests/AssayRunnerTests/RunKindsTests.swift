import AssayCore
import Foundation
import Testing

@testable import AssayStore

/// Runtime kinds and run and sample statuses are enums whose raw values are the bytes runs store and the spellings
/// `--runtime` takes.
@Suite struct RunKindsTests {
  @Test func rawValuesAreTheStoredSpellings() {
    #expect(RuntimeKind.allCases.map(\.rawValue) == ["openai-compatible", "llama.cpp", "vllm"])
    #expect(RunStatus.allCases.map(\.rawValue) == ["running", "finished", "interrupted", "failed"])
    #expect(SampleStatus.allCases.map(\.rawValue) == ["scored", "failed"])
    #expect("\(RuntimeKind.llamaCpp)" == "llama.cpp")
    #expect(CanonicalJSON.string(["runtime": RuntimeKind.llamaCpp]) == #"{"runtime":"llama.cpp"}"#)
  }

  @Test func onlyLaunchedServersGetListsOfPromptsByDefault() {
    #expect(RuntimeKind.launchable == [.llamaCpp, .vllm])
    #expect(RuntimeKind.allCases.map(\.defaultPromptsPerRequest) == [1, 16, 16])
    #expect(!RuntimeKind.openAICompatible.isLaunched)
  }

  @Test func aMergedRunIsFinishedOnlyWhenEveryShardIsThereAndFinished() {
    #expect(RunStatus.merged([.finished, .finished], complete: true) == .finished)
    #expect(RunStatus.merged([.finished, .finished], complete: false) == .interrupted)
    #expect(RunStatus.merged([.finished, .running], complete: true) == .interrupted)
    #expect(RunStatus.merged([.interrupted, .failed], complete: true) == .failed)
    #expect(RunStatus.merged([.failed], complete: false) == .failed)
  }

  @Test func storedStatusesReadBackAsEnums() throws {
    let path = NSTemporaryDirectory() + "assay-kinds-\(UUID().uuidString).sqlite"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try SQLiteStore(path: path)
    try store.createRun(
      RunRecord(id: "r", model: "m", runtime: RuntimeKind.vllm.rawValue, baseURL: "u", harnessVersion: "0", config: "{}",
        configHash: "h", startedAt: SQLiteStore.timestamp()),
      tasks: [])
    #expect(try store.run("r").status == .running)
    #expect(try store.run("r").runtimeKind == .vllm)
    try store.finishRun(id: "r", status: .interrupted, at: SQLiteStore.timestamp())
    #expect(try store.run("r").status == .interrupted)
    var record = try store.run("r")
    record.runtime = "something-else"
    #expect(record.runtimeKind == nil)
  }

  /// Store v4 keeps every graded value; an older row has only `score`, which stands in for the primary metric.
  @Test func gradedValuesFallBackToTheScoreOfRunsBeforeStoreV4() {
    var sample = StoredSample(
      taskID: "t/v", index: 0, status: .scored, prompt: "", target: "", response: nil, finishReason: nil, answers: [:],
      correct: [:], score: 0.5, error: nil, attempts: 1, latencyMs: nil, promptTokens: nil, completionTokens: nil)
    #expect(sample.isScored)
    #expect(sample.gradedValues(primary: "f1") == ["f1": 0.5])
    #expect(sample.gradedValues(primary: nil) == [:])
    sample.values = ["f1": 0.25, "exact_match": 0]
    #expect(sample.gradedValues(primary: "f1") == ["f1": 0.25, "exact_match": 0])
    #expect(sample.gradedValues(primary: "chrf") == ["f1": 0.25, "exact_match": 0, "chrf": 0.5])
    sample.status = .failed
    sample.score = nil
    #expect(!sample.isScored)
    #expect(sample.gradedValues(primary: "chrf") == ["f1": 0.25, "exact_match": 0])
  }
}
