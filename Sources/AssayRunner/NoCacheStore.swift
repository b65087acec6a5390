import AssayCore

/// A store wrapper that never finds cached responses (`--no-cache`): every request is sent, and samples and fresh
/// answers are still written to the store it wraps.
public struct NoCacheStore: ResultStore {
  /// The store samples and answers go to.
  public let base: any ResultStore

  /// Wraps `base`.
  public init(base: any ResultStore) {
    self.base = base
  }

  public func scoredSampleKeys(runID: String) async throws -> Set<SampleKey> { try await base.scoredSampleKeys(runID: runID) }
  public func cachedResponses(forKeys keys: [String]) async throws -> [String: ModelResponse] { [:] }
  public func record(_ record: SampleRecord, runID: String) async throws { try await base.record(record, runID: runID) }
  public func cache(_ response: ModelResponse, key: String, endpoint: String, request: String) async throws {
    try await base.cache(response, key: key, endpoint: endpoint, request: request)
  }
}
