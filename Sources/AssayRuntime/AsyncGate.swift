/// At most `limit` holders at once; the others wait in arrival order, with no deadline. `OpenAIClient` sends
/// through one sized to its connection pool, so requests queue here rather than in AsyncHTTPClient's pool, whose
/// waiters fail with `getConnectionFromPoolTimeout` after the 10-second connect timeout.
///
///     let gate = AsyncGate(limit: 4)
///     await gate.acquire()
///     let result = await send()
///     await gate.release()
actor AsyncGate {
  private let limit: Int
  private var held = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// A gate for `limit` holders (at least 1).
  init(limit: Int) {
    self.limit = max(1, limit)
  }

  /// Returns once the caller holds a place.
  func acquire() async {
    if held < limit {
      held += 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  /// Gives a place back: to the longest waiter, if any.
  func release() {
    if waiters.isEmpty {
      held = max(0, held - 1)
    } else {
      waiters.removeFirst().resume()
    }
  }
}
