import AssayCore
import AssayTesting
import Foundation
import Logging
import Testing

@testable import AssayRuntime

/// `OpenAIClient` against `assay-mock-server`, and the scripted runtime the runner's tests use against the same
/// expectations: each test body runs in both worlds (Hummingbird's in-process and live pattern), so the fake cannot
/// drift from what the real client and server do.
@Suite(.serialized) struct OpenAIClientTests {
  static let chat = ModelRequest(
    model: "mock-model", prompt: .chat([ChatMessage(role: "user", content: "What is 2 + 2?")]), maxTokens: 64, temperature: 0)

  static func echo(_ prompt: String, model: String = "mock-model") -> ModelRequest {
    ModelRequest(model: model, prompt: .completion(prompt), maxTokens: 1, temperature: 0, logprobs: 1, echo: true)
  }

  @Test(arguments: Transport.allCases)
  func anEchoedCompletionReturnsThePromptsLogprobs(_ transport: Transport) async throws {
    try await transport.withServer(.init()) { served in
      let prompt = "The capital of France is Paris"
      let request = Self.echo(prompt)
      let response = try Self.answer(await served.runtime.generate(request))
      #expect(response.text == prompt + " x")
      #expect(response.finishReason == "length")
      let logprobs = try #require(response.logprobs)
      #expect(logprobs.tokens == ["The", " capital", " of", " France", " is", " Paris", " x"])
      #expect(logprobs.offsets == [0, 3, 11, 14, 21, 24, 30])
      #expect(logprobs.logprobs.first == .some(nil))
      #expect(logprobs.logprobs.dropFirst().allSatisfy { ($0 ?? 0) < 0 })
      // " Paris" is the continuation of "The capital of France is": one token, the generated " x" left out.
      let continuation = try #require(ChoiceRanking.continuationLogprob(logprobs, contextLength: 24, promptLength: 30))
      #expect(continuation.tokens == 1)
      #expect(continuation.logprob == logprobs.logprobs[5])
      #expect(response.promptTokens == request.jsonBody().count / 4)
      #expect(response.completionTokens == 24)
      #expect(response.attempts == 1)
      #expect(try await served.requests() == 1)
    }
  }

  @Test(arguments: Transport.allCases)
  func aChatAnswerIsTheMocksArithmeticAndTheSameForTheSameRequest(_ transport: Transport) async throws {
    try await transport.withServer(.init()) { served in
      let first = try Self.answer(await served.runtime.generate(Self.chat))
      let second = try Self.answer(await served.runtime.generate(Self.chat))
      #expect(first.text == second.text)
      let pattern = try Regex("Let me think step by step\\. ([0-9]+) \\+ ([0-9]+) = ([0-9]+)\\. The answer is ([0-9]+)\\. Antwort: ([0-9]+)")
      let match = try #require(try pattern.wholeMatch(in: first.text))
      let numbers = (1...5).compactMap { match.output[$0].substring.flatMap { Int($0) } }
      #expect(numbers.count == 5)
      #expect(numbers[0] + numbers[1] == numbers[2] && numbers[2] < 100)
      #expect(numbers[3] == numbers[2] && numbers[4] == numbers[2])
      #expect(first.finishReason == "stop")
      #expect(first.logprobs == nil)
      #expect(first.completionTokens == 24)
      #expect(first.attempts == 1)
      #expect(try await served.requests() == 2)
    }
  }

  @Test(arguments: Transport.allCases)
  func aBatchOfEchoedCompletionsAnswersEachPromptInOrder(_ transport: Transport) async throws {
    try await transport.withServer(.init()) { served in
      let prompts = ["A cat", "The dog barked", "Hi"]
      guard case .success(let responses) = await served.runtime.generate(batch: prompts.map { Self.echo($0) }) else {
        Issue.record("the batch failed")
        return
      }
      #expect(responses.map(\.text) == prompts.map { $0 + " x" })
      #expect(responses.map { $0.logprobs?.tokens ?? [] } == [["A", " cat", " x"], ["The", " dog", " barked", " x"], ["Hi", " x"]])
      #expect(responses.map { $0.logprobs?.offsets ?? [] } == [[0, 1, 5], [0, 3, 7, 14], [0, 2]])
    }
  }

  @Test(arguments: Transport.allCases)
  func injectedFaultsAreRetriedUntilAnswered(_ transport: Transport) async throws {
    try await transport.withServer(.init(faultRate: 0.5, faults: ["500", "429"], seed: 7), maxRetries: 10) { served in
      var attempts: [Int] = []
      for index in 0..<12 {
        let request = ModelRequest(
          model: "mock-model", prompt: .chat([ChatMessage(role: "user", content: "Question \(index)")]), maxTokens: 8, temperature: 0)
        attempts.append(try Self.answer(await served.runtime.generate(request)).attempts)
      }
      #expect(attempts.contains { $0 > 1 }, "no request was retried: \(attempts)")
      #expect(try await served.requests() == attempts.reduce(0, +))
    }
  }

  @Test(arguments: Transport.allCases)
  func aServerThatAlwaysFailsEndsInARetryableFailureAfterTheRetries(_ transport: Transport) async throws {
    try await transport.withServer(.init(faultRate: 1, faults: ["500"]), maxRetries: 2) { served in
      let failure = try Self.failure(await served.runtime.generate(Self.chat))
      #expect(failure.attempts == 3)
      #expect(failure.retryable)
      #expect(failure.message == "HTTP 500 from \(served.baseURL)/chat/completions: {\"error\":{\"message\":\"injected fault\"}}")
      #expect(try await served.requests() == 3)
    }
  }

  @Test(arguments: Transport.allCases)
  func aModelTheServerDoesNotServeFailsAtOnce(_ transport: Transport) async throws {
    try await transport.withServer(.init(), maxRetries: 3) { served in
      let failure = try Self.failure(await served.runtime.generate(Self.echo("Hello", model: "other-model")))
      #expect(failure.attempts == 1)
      #expect(!failure.retryable)
      #expect(failure.message.hasPrefix("HTTP 404 from \(served.baseURL)/completions: "))
      #expect(failure.message.contains("this server serves 'mock-model'"))
    }
  }

  @Test(arguments: Transport.allCases)
  func aNullAnswerIsAFailureRetriedNeverAnEmptyAnswer(_ transport: Transport) async throws {
    try await transport.withServer(.init(contentJSON: "null"), maxRetries: 1) { served in
      let failure = try Self.failure(await served.runtime.generate(Self.chat))
      #expect(failure.attempts == 2)
      #expect(failure.retryable)
      #expect(
        failure.message == "unreadable response from \(served.baseURL)/chat/completions: "
          + "the choice's `message.content` is null (finish_reason stop): no answer to score")
    }
  }

  static func answer(_ outcome: GenerationOutcome) throws -> ModelResponse {
    switch outcome {
    case .success(let response): return response
    case .failure(let failure): throw UnexpectedOutcome(description: "expected an answer, got a failure: \(failure.message)")
    }
  }

  static func failure(_ outcome: GenerationOutcome) throws -> RequestFailure {
    switch outcome {
    case .success(let response): throw UnexpectedOutcome(description: "expected a failure, got the answer: \(response.text)")
    case .failure(let failure): return failure
    }
  }

  struct UnexpectedOutcome: Error, CustomStringConvertible {
    var description: String
  }
}
