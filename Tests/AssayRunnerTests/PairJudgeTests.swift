import AssayCore
import AssayRunner
import AssaySuites
import AssayTesting
import Foundation
import Testing

/// `assay pairs judge`'s judge: AlpacaEval's classifier prompt from the suite file, both orders, position bias
/// turned into a tie, a reply without a verdict asked again and then stored as a skip.
@Suite struct PairJudgeTests {
  static let suites = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../benchmarks"
  let item = PairItem(
    index: 3, key: "k", prompt: "Name a prime.", modelA: "A", responseA: "Seven is prime.", modelB: "B", responseB: "Nine.")

  func spec(_ suite: String = "alpaca-eval") throws -> JudgeSpec {
    try #require(try SuiteFile.load(path: Self.suites + "/\(suite)/\(suite).yaml").scorer.judge)
  }

  /// A judge that prefers whichever answer says "prime" (`m` when it is shown first), or replies `reply(call)`.
  func judging(_ reply: (@Sendable (ModelRequest, Int) -> String)? = nil) -> ScriptedRuntime {
    ScriptedRuntime { request, call in
      if let reply { return .success(ModelResponse(text: reply(request, call), finishReason: "stop")) }
      guard case .chat(let messages) = request.prompt, let user = messages.last?.content,
        let first = user.range(of: "Seven is prime."), let second = user.range(of: "Nine.")
      else { return .success(ModelResponse(text: "?", finishReason: "stop")) }
      return .success(ModelResponse(text: first.lowerBound < second.lowerBound ? "m" : "M", finishReason: "stop"))
    }
  }

  @Test func aConsistentJudgeWinsTheItemForTheBetterAnswer() async throws {
    let runtime = judging()
    let judged = try await PairJudge(runtime: runtime, model: "j", spec: try spec()).judge(item)
    #expect(judged.games == [.verdict(score: 1, weight: 1, label: "m"), .verdict(score: 1, weight: 1, label: "M")])
    #expect(judged.verdict == .left, "A (on the left) is better")
    #expect(judged.note == "A first: m; B first: M")
    #expect(runtime.calls == 2)
  }

  @Test func aJudgeThatAlwaysPicksTheFirstPositionGivesATie() async throws {
    let judged = try await PairJudge(runtime: judging { _, _ in "m" }, model: "j", spec: try spec()).judge(item)
    #expect(judged.verdict == .tie)
  }

  @Test func theSuitesPromptAndSystemMessageAreSent() async throws {
    let seen = RequestLog()
    let runtime = ScriptedRuntime { request, _ in
      seen.append(request)
      return .success(ModelResponse(text: "M", finishReason: "stop"))
    }
    let judged = try await PairJudge(runtime: runtime, model: "j", spec: try spec()).judge(item)
    #expect(judged.verdict == .tie, "M both times: the second position both times")
    let requests = seen.all
    #expect(requests.count == 2 && requests.allSatisfy { $0.maxTokens == 1 && $0.temperature == 0 })
    guard case .chat(let messages) = requests[0].prompt else { Issue.record("not a chat request"); return }
    #expect(messages.first?.content.hasPrefix("You are a highly efficient assistant") == true)
    let user = messages.last?.content ?? ""
    #expect(user.contains(#""instruction": """Name a prime.""""#), "\(user)")
    #expect(user.range(of: "Seven is prime.")!.lowerBound < user.range(of: "Nine.")!.lowerBound, "game 1 shows A first")
  }

  @Test func noVerdictIsAskedAgainThenStoredAsASkipWithTheReplies() async throws {
    let runtime = judging { _, _ in "I think the first one" }
    let judged = try await PairJudge(runtime: runtime, model: "j", spec: try spec()).judge(item)
    #expect(runtime.calls == 4, "each order asked twice")
    #expect(judged.verdict == .skip)
    #expect(judged.note.contains("A first: no verdict; B first: no verdict; replies: I think the first one"))
    // One order with a verdict decides the item.
    let half = try await PairJudge(runtime: judging { _, call in call <= 2 ? "nonsense" : "M" }, model: "j", spec: try spec()).judge(item)
    #expect(half.verdict == .left, "B first, the judge picked the second output: A")
  }

  @Test func arenaHardStrongVerdictsWeighMore() async throws {
    let replies = ["[[A>>B]]", "[[A>B]]"]  // A first: A much better; B first: B (shown first) better
    let judged = try await PairJudge(runtime: judging { _, call in replies[call - 1] }, model: "j", spec: try spec("arena-hard")).judge(item)
    #expect(judged.verdict == .left, "3 to 1 for A")
  }

  @Test func aFailedRequestIsAnErrorNotAVerdict() async throws {
    let runtime = ScriptedRuntime { _, _ in .failure(RequestFailure(message: "boom", attempts: 1, retryable: false)) }
    await #expect(throws: AssayError.self) { try await PairJudge(runtime: runtime, model: "j", spec: try spec()).judge(item) }
  }

  @Test func aSingleAnswerSuiteIsRefusedAsAPrompt() throws {
    #expect(throws: AssayError.self) { try PairJudge(runtime: judging(), model: "j", spec: try spec("mt-bench")) }
  }
}

/// Requests seen by a scripted runtime, in order.
final class RequestLog: @unchecked Sendable {
  private let lock = NSLock()
  private var requests: [ModelRequest] = []
  func append(_ request: ModelRequest) { lock.withLock { requests.append(request) } }
  var all: [ModelRequest] { lock.withLock { requests } }
}
