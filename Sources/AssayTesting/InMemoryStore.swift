import AssayCore
import Synchronization

/// A `ResultStore` in memory, for unit tests of the runner.
public final class InMemoryStore: ResultStore {
  private let state = Mutex((samples: [String: [SampleKey: SampleRecord]](), cache: [String: ModelResponse](), writes: 0))

  /// An empty store.
  public init() {}

  /// The records of a run.
  public func records(runID: String) -> [SampleKey: SampleRecord] { state.withLock { $0.samples[runID] ?? [:] } }
  /// How many records were written.
  public var writes: Int { state.withLock { $0.writes } }

  public func scoredSampleKeys(runID: String) async throws -> Set<SampleKey> {
    state.withLock { s in
      Set((s.samples[runID] ?? [:]).filter { if case .scored = $0.value.outcome { return true } else { return false } }.keys)
    }
  }

  public func cachedResponses(forKeys keys: [String]) async throws -> [String: ModelResponse] {
    state.withLock { s in keys.reduce(into: [:]) { found, key in found[key] = s.cache[key] } }
  }

  public func cache(_ response: ModelResponse, key: String, endpoint: String, request: String) async throws {
    state.withLock { s in
      s.writes += 1
      s.cache[key] = response
    }
  }

  public func record(_ record: SampleRecord, runID: String) async throws {
    state.withLock { s in
      s.writes += 1
      s.samples[runID, default: [:]][record.key] = record
      if case .scored(let response, _, false) = record.outcome { s.cache[record.requestKey] = response }
    }
  }
}
