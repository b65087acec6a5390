import AssayCore
import Synchronization

/// A runtime whose answers come from a closure; it counts calls and the peak number of requests in flight.
public final class ScriptedRuntime: ModelRuntime {
  private let answer: @Sendable (ModelRequest, Int) async -> GenerationOutcome
  private let counters = Mutex((calls: 0, inFlight: 0, peak: 0))

  /// A runtime answering with `answer(request, callNumber)` (call numbers start at 1).
  public init(answer: @escaping @Sendable (ModelRequest, Int) async -> GenerationOutcome) {
    self.answer = answer
  }

  /// A runtime that always answers `text`, after `delay`.
  public convenience init(text: String, delay: Duration = .zero) {
    self.init { _, _ in
      if delay > .zero { try? await Task.sleep(for: delay) }
      return .success(ModelResponse(text: text, finishReason: "stop"))
    }
  }

  /// Requests received so far.
  public var calls: Int { counters.withLock { $0.calls } }
  /// The most requests that were in flight at once.
  public var peakInFlight: Int { counters.withLock { $0.peak } }

  public func generate(_ request: ModelRequest) async -> GenerationOutcome {
    let number = counters.withLock { c in
      c.calls += 1
      c.inFlight += 1
      c.peak = max(c.peak, c.inFlight)
      return c.calls
    }
    let outcome = await answer(request, number)
    counters.withLock { $0.inFlight -= 1 }
    return outcome
  }
}
