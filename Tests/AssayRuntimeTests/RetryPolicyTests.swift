import AssayRuntime
import Testing

@Suite struct RetryPolicyTests {
  let policy = RetryPolicy(maxRetries: 5, baseDelay: 1, maxDelay: 8)

  @Test func backoffCeilingDoublesUpToTheMaximum() {
    #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 1) == 1)
    #expect(policy.delay(beforeRetry: 2, retryAfter: nil, random: 1) == 2)
    #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: 1) == 4)
    #expect(policy.delay(beforeRetry: 9, retryAfter: nil, random: 1) == 8)
  }

  @Test func jitterScalesTheCeiling() {
    #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: 0.25) == 1)
    #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: 0) == 0)
  }

  @Test func retryAfterIsAFloorCappedAtTheMaximum() {
    #expect(policy.delay(beforeRetry: 1, retryAfter: 5, random: 0) == 5)
    #expect(policy.delay(beforeRetry: 1, retryAfter: 300, random: 0) == 8)
  }
}
