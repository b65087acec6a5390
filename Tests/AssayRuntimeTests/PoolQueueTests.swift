import AssayCore
import AssayRuntime
import Foundation
import Logging
import Testing

/// More requests than connections, each slower than the 10-second connect timeout: the extra ones wait in the
/// client's own queue and are answered. Before the gate they waited in AsyncHTTPClient's pool and failed with
/// `getConnectionFromPoolTimeout` (seen with the real model judging itself on AlpacaEval).
@Suite(.tags(.slow)) struct PoolQueueTests {
  @Test func requestsBeyondThePoolWaitInsteadOfTimingOut() async throws {
    let server = try LaunchedMockServer(["--latency-ms", "11000"])
    defer { server.stop() }
    let outcomes = try await OpenAIClient.withClient(
      baseURL: server.baseURL, apiKey: nil, timeout: 60, retry: RetryPolicy(maxRetries: 0), maxConnections: 1,
      logger: Logger(label: "test")
    ) { client in
      await withTaskGroup(of: GenerationOutcome.self) { group in
        for index in 0..<2 {
          group.addTask {
            await client.generate(ModelRequest(
              model: "mock-model", prompt: .chat([ChatMessage(role: "user", content: "question \(index)")]), maxTokens: 8,
              temperature: 0))
          }
        }
        var all: [GenerationOutcome] = []
        for await outcome in group { all.append(outcome) }
        return all
      }
    }
    for outcome in outcomes {
      if case .failure(let failure) = outcome { Issue.record("a request beyond the pool failed: \(failure.message)") }
    }
    #expect(outcomes.count == 2)
  }
}
